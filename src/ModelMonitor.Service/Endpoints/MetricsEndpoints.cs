using ModelMonitor.Service.Metrics;
using Prometheus;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// GET /metrics: prometheus-net serves this service instance's registry in the Prometheus text
/// format 0.0.4. OpenMetrics is turned off, so every scraper gets the format the README documents.
/// No API key: Prometheus scrapes it as it scrapes any exporter.
/// </summary>
internal static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var registry = services.GetRequiredService<CollectorRegistry>();

        // Created now rather than at the first scrape: the audit commit histogram listens from the start.
        services.GetRequiredService<MonitoringInstruments>();
        services.GetRequiredService<ProcessMetrics>();
        MetricServerMiddlewareExtensions.MapMetrics(app, settings =>
            {
                settings.Registry = registry;
                settings.EnableOpenMetrics = false;
            })
            .WithTags("Metrics")
            .WithName("Metrics")
            .ExcludeFromDescription();
        return app;
    }
}
