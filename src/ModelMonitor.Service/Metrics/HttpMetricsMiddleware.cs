using System.Globalization;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Inference;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Records every request's metrics: duration by method, route and status, requests in flight, and
/// errors by reason. Labels stay bounded: the route is the endpoint's pattern (<c>unmatched</c> when
/// none matched), the method one of the standard ones (<c>_OTHER</c> otherwise), and the reason a
/// fixed set (<see cref="ErrorReason"/>). It runs outside the exception handler, so it sees the
/// status a failed request was finally answered with.
/// </summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, ServiceMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        metrics.InFlight.Inc();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.InFlight.Dec();
            var status = context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            metrics.RequestDuration.WithLabels(Method(context.Request.Method), Route(context), status).Observe(time.GetElapsedTime(started).TotalSeconds);
            if (context.Response.StatusCode >= 400)
            {
                metrics.Errors.WithLabels(ErrorReason.Of(context), status).Inc();
            }
        }
    }

    private static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? (pattern.Length > 1 ? pattern.TrimEnd('/') : pattern) : "unmatched";

    private static string Method(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : HttpMethods.IsTrace(method) ? HttpMethods.Trace
        : HttpMethods.IsConnect(method) ? HttpMethods.Connect
        : "_OTHER";
}
