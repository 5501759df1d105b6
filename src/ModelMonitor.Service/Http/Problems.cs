using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Http;

/// <summary>Turns rejections into RFC 9457 ProblemDetails responses, logging each one.</summary>
internal static class Problems
{
    public static ProblemHttpResult From(HttpContext context, Rejection rejection, ILogger logger)
    {
        Note(context, rejection, logger);
        return TypedResults.Problem(
            detail: rejection.Detail,
            statusCode: rejection.Status,
            title: rejection.Title,
            extensions: new Dictionary<string, object?> { ["request_id"] = context.TraceIdentifier });
    }

    /// <summary>What every refusal does whatever body it is written in: log it, audit it, and name its reason for the errors metric.</summary>
    public static void Note(HttpContext context, Rejection rejection, ILogger logger)
    {
        Log.RequestRejected(logger, context.Request.Method, context.Request.Path.Value ?? "/", rejection.Status, rejection.Detail, context.TraceIdentifier);
        context.RequestServices.GetService<AuditTrail>()?.RecordProblem(context, rejection.Status, rejection.Detail);
        ErrorReason.Set(context, rejection.Title);
    }

    public static ProblemHttpResult NotReady(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        ErrorReason.Set(context, "Not ready");
        return TypedResults.Problem(
            detail: "The model is still loading; retry shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Not ready",
            extensions: new Dictionary<string, object?> { ["request_id"] = context.TraceIdentifier });
    }
}
