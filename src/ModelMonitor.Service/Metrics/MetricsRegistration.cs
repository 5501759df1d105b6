using ModelMonitor.Service.Inference;
using Prometheus;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// The metrics of one service instance: a registry of its own (not prometheus-net's static default
/// registry), so several hosts in one process (the integration tests) never count into each other,
/// and none of the library's default collectors (meter and EventCounter adapters, its own debug
/// metrics) publish into it.
/// </summary>
internal static class MetricsRegistration
{
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<IMetricFactory>(provider =>
        {
            var factory = Prometheus.Metrics.WithCustomRegistry(provider.GetRequiredService<CollectorRegistry>());

            // Exemplars would carry trace ids the service exports nowhere; /metrics serves the 0.0.4 text format, which has no exemplars anyway.
            factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
            return factory;
        });
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<MonitoringInstruments>();
        services.AddSingleton<ProcessMetrics>();
        return services;
    }
}
