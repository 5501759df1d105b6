using Microsoft.AspNetCore.WebUtilities;

namespace ModelMonitor.Service.Auditing;

/// <summary>Every error response leaves an audit record; endpoints that reject with a detail record it themselves.</summary>
internal sealed class AuditErrorsMiddleware(RequestDelegate next, AuditTrail audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status >= 400 && !context.Items.ContainsKey(AuditTrail.RecordedMarker) && !context.RequestAborted.IsCancellationRequested)
        {
            audit.RecordProblem(context, status, ReasonPhrases.GetReasonPhrase(status));
        }
    }
}
