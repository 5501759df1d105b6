using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Security;

/// <summary>
/// The named authorization policies the endpoint groups require. Each is open or closed by what is
/// configured, so an unsecured install works out of the box and a secured one locks down:
/// <list type="bullet">
/// <item><see cref="Admin"/>: the admin role; disabled (403) while no Security:AdminApiKey is set.</item>
/// <item><see cref="Feedback"/>: open until an admin or feedback key is set; then the feedback role.</item>
/// <item><see cref="AuditRead"/>: open until any key is set; then the audit role (audit or admin key).</item>
/// </list>
/// </summary>
public static class Policies
{
    public const string Admin = "Admin";
    public const string Feedback = "Feedback";
    public const string AuditRead = "AuditRead";

    /// <summary>Why a policy is switched off (answered 403 whoever asks), or null when it is on.</summary>
    internal static string? Disabled(AuthorizationPolicy policy, SecurityOptions keys) =>
        policy.Requirements.OfType<KeyRequirement>().Any(r => r.Policy == Admin) && string.IsNullOrEmpty(keys.AdminApiKey)
            ? "Admin actions are disabled: no Security:AdminApiKey is configured."
            : null;

    public static IServiceCollection AddModelMonitorSecurity(this IServiceCollection services)
    {
        // Not AddAuthentication: it also adds ASP.NET data protection, whose hosted service loads (on
        // a first start, creates and writes) a key ring at startup, for cookies and tokens this
        // service never issues. About 5 MB resident (System.Private.Xml among it) for nothing.
        // No default scheme, and none made from the only one registered (ASP.NET Core's documented
        // switch): the authentication middleware then authenticates nobody up front, and each policy
        // names the key scheme, so callers are authenticated only on the endpoints that require a
        // policy. /predict and the other open endpoints no longer build a key handler per request
        // (the middleware's share of CPU samples fell from 0.77% to 0.27% at 1 text x 32 clients on
        // sst2-tiny, bench/results/memory.md).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new Microsoft.AspNetCore.Authentication.AuthenticationBuilder(services)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, p => KeyPolicy(p, Admin))
            .AddPolicy(Feedback, p => KeyPolicy(p, Feedback))
            .AddPolicy(AuditRead, p => KeyPolicy(p, AuditRead));
        services.AddSingleton<IAuthorizationHandler, KeyRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>A policy authenticated by the key scheme and decided by <see cref="KeyRequirementHandler"/>.</summary>
    private static void KeyPolicy(AuthorizationPolicyBuilder policy, string name) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).AddRequirements(new KeyRequirement(name));

    internal sealed record KeyRequirement(string Policy) : IAuthorizationRequirement;

    /// <summary>Decides each policy from the configured keys and the caller's roles.</summary>
    internal sealed class KeyRequirementHandler(IOptionsMonitor<SecurityOptions> options) : AuthorizationHandler<KeyRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KeyRequirement requirement)
        {
            var keys = options.CurrentValue;
            var user = context.User;
            switch (requirement.Policy)
            {
                case Admin when !string.IsNullOrEmpty(keys.AdminApiKey) && user.IsInRole(Roles.Admin):
                case Feedback when !keys.AnyFeedbackKey || user.IsInRole(Roles.Feedback):
                case AuditRead when !keys.AnyKey || user.IsInRole(Roles.AuditReader):
                    context.Succeed(requirement);
                    break;
            }

            return Task.CompletedTask;
        }
    }
}
