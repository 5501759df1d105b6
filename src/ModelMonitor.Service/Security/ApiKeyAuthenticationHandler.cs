using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Security;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the configured keys and gives the caller the
/// roles its key carries (<see cref="Roles"/>). Keys are compared as SHA-256 digests in constant
/// time, so neither the comparison nor a key's length leaks through timing; keys are never logged.
/// A missing header is no result (anonymous); a wrong key is a failure.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    IOptionsMonitor<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = values.ToString();
        var keys = security.CurrentValue;
        var roles = new List<string>();
        if (Matches(presented, keys.AdminApiKey))
        {
            roles.AddRange([Roles.Admin, Roles.Feedback, Roles.AuditReader]);
        }

        if (Matches(presented, keys.FeedbackApiKey))
        {
            roles.Add(Roles.Feedback);
        }

        if (Matches(presented, keys.AuditApiKey))
        {
            roles.Add(Roles.AuditReader);
        }

        if (roles.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail($"The {Header} header does not hold a valid key."));
        }

        var identity = new ClaimsIdentity(roles.Distinct().Select(r => new Claim(ClaimTypes.Role, r)), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private static bool Matches(string presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || presented.Length == 0)
        {
            return false;
        }

        var left = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var right = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(left, right);
    }
}
