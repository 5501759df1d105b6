using ModelMonitor.Service.Metrics;

namespace ModelMonitor.Service.Endpoints;

/// <summary>GET /metrics: the Prometheus text exposition (format 0.0.4).</summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (PrometheusExporter exporter) => TypedResults.Text(exporter.Render(), PrometheusText.ContentType))
            .WithTags("Metrics")
            .WithName("Metrics")
            .ExcludeFromDescription();
        return app;
    }
}
