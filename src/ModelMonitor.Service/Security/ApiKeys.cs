using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Security;

/// <summary>
/// Checks the <c>X-Api-Key</c> header. Keys are compared as SHA-256 digests in constant time, so
/// neither the comparison nor the key's length leaks through timing; keys are never logged.
/// </summary>
internal sealed class ApiKeys(IOptionsMonitor<SecurityOptions> options)
{
    public const string Header = "X-Api-Key";

    /// <summary>Null when the request may perform an admin action; otherwise why not (403 when disabled, 401 when the key is missing or wrong).</summary>
    public Rejection? RequireAdmin(HttpContext context)
    {
        var admin = options.CurrentValue.AdminApiKey;
        if (string.IsNullOrEmpty(admin))
        {
            return new Rejection(StatusCodes.Status403Forbidden, "Admin actions disabled", "Admin actions are disabled: no Security:AdminApiKey is configured.");
        }

        return Matches(context, admin) ? null : Unauthorized(context);
    }

    /// <summary>Null when feedback may be sent: no key configured, or the admin or feedback key presented.</summary>
    public Rejection? RequireFeedback(HttpContext context)
    {
        var (admin, feedback) = (options.CurrentValue.AdminApiKey, options.CurrentValue.FeedbackApiKey);
        if (string.IsNullOrEmpty(admin) && string.IsNullOrEmpty(feedback))
        {
            return null;
        }

        var allowed = (!string.IsNullOrEmpty(admin) && Matches(context, admin)) | (!string.IsNullOrEmpty(feedback) && Matches(context, feedback));
        return allowed ? null : Unauthorized(context);
    }

    private static Rejection Unauthorized(HttpContext context)
    {
        var presented = context.Request.Headers.ContainsKey(Header);
        return new Rejection(StatusCodes.Status401Unauthorized, "Unauthorized", presented ? $"The {Header} header does not hold a valid key." : $"This action needs an API key in the {Header} header.");
    }

    private static bool Matches(HttpContext context, string expected)
    {
        var presented = context.Request.Headers[Header].ToString();
        var left = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var right = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(left, right) && presented.Length > 0;
    }
}
