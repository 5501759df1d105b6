using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Security;

/// <summary>
/// Answers a refused request with a ProblemDetails, recorded and logged like every other rejection:
/// 403 when the action is switched off or the key lacks the role, 401 when a key is missing or wrong.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IOptionsMonitor<SecurityOptions> keys, ILogger<ProblemAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var disabled = Policies.Disabled(policy, keys.CurrentValue);
        var presented = context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header);
        var rejection = disabled is not null
            ? new Rejection(StatusCodes.Status403Forbidden, "Disabled", disabled)
            : authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true
                ? new Rejection(StatusCodes.Status403Forbidden, "Forbidden", "The key presented does not allow this action.")
                : new Rejection(StatusCodes.Status401Unauthorized, "Unauthorized", presented
                    ? $"The {ApiKeyAuthenticationHandler.Header} header does not hold a valid key."
                    : $"This action needs an API key in the {ApiKeyAuthenticationHandler.Header} header.");
        await Problems.From(context, rejection, logger).ExecuteAsync(context);
    }
}
