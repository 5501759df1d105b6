using System.Diagnostics;

namespace ModelMonitor.Service.Logging;

/// <summary>
/// Gives each request an id (the caller's X-Request-Id when it is sane, otherwise a new
/// time-ordered one), echoes it in the response, writes one log line per request with its
/// status and latency. The request metrics are <see cref="Metrics.HttpMetricsMiddleware"/>'s.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        context.TraceIdentifier = ChooseRequestId(context.Request.Headers[Header].ToString());
        context.Response.Headers[Header] = context.TraceIdentifier;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.RequestCompleted(
                logger,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Response.StatusCode,
                elapsedMs,
                context.TraceIdentifier);
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
