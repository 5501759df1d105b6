namespace ModelMonitor.Service.Http;

/// <summary>
/// Gives each request an id (the caller's X-Request-Id when it is sane, otherwise a new
/// time-ordered one) and echoes it in the response. The request's log line is Serilog's
/// (<see cref="Logging.RequestLogging"/>); its metrics are <see cref="Metrics.HttpMetricsMiddleware"/>'s.
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        context.TraceIdentifier = ChooseRequestId(context.Request.Headers[Header].ToString());
        context.Response.Headers[Header] = context.TraceIdentifier;
        return next(context);
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
