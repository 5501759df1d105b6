using System.Diagnostics;
using ModelMonitor.Service.Inference;

namespace ModelMonitor.Service.Http;

/// <summary>
/// Gives each request an id (the caller's X-Request-Id when it is sane, otherwise a new
/// time-ordered one), echoes it in the response, and records the request metrics (duration by
/// route and status, in-flight requests, errors by reason). Routes are the endpoint patterns, so
/// labels stay bounded. The request's log line is Serilog's (<see cref="Logging.RequestLogging"/>).
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context, ServiceMetrics metrics)
    {
        context.TraceIdentifier = ChooseRequestId(context.Request.Headers[Header].ToString());
        context.Response.Headers[Header] = context.TraceIdentifier;
        var started = Stopwatch.GetTimestamp();
        metrics.InFlight.Add(1);
        try
        {
            await next(context);
        }
        finally
        {
            metrics.InFlight.Add(-1);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? (pattern.Length > 1 ? pattern.TrimEnd('/') : pattern) : "unmatched";
            var status = context.Response.StatusCode;
            metrics.RequestDuration.Record(
                elapsedMs / 1000,
                new KeyValuePair<string, object?>("method", context.Request.Method),
                new KeyValuePair<string, object?>("route", route),
                new KeyValuePair<string, object?>("status", status));
            if (status >= 400)
            {
                metrics.Errors.Add(1, new KeyValuePair<string, object?>("reason", ErrorReason.Of(context)), new KeyValuePair<string, object?>("status", status));
            }
        }
    }

    internal static string ChooseRequestId(string? supplied)
    {
        if (!string.IsNullOrEmpty(supplied) && supplied.Length <= 128 && supplied.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            return supplied;
        }

        return Guid.CreateVersion7().ToString("N");
    }
}
