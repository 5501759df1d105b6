using System.Text;
using ModelMonitor.Service.Inference;

namespace ModelMonitor.Service.Metrics;

/// <summary>Renders everything the service measures as one Prometheus text exposition.</summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly Dictionary<string, double[]> Buckets = new(StringComparer.Ordinal)
    {
        ["modelmonitor.batch.size"] = [1, 2, 4, 8, 16, 32, 64, 128],
        ["modelmonitor.batch.tokens"] = [16, 64, 256, 1024, 4096, 16384, 65536],
    };

    private readonly MeterCollector collector;
    private readonly Lock scrape = new();

    public PrometheusExporter(ServiceMetrics metrics, MonitoringInstruments instruments)
    {
        // Taking the instruments makes sure they exist (and listen for audit commits) from startup.
        _ = instruments;
        collector = new MeterCollector(metrics.Meter, Buckets);
    }

    public string Render()
    {
        lock (scrape)
        {
            var output = new StringBuilder(16 * 1024);
            foreach (var family in collector.Collect().Concat(ProcessMetrics.Collect()).OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                PrometheusText.WriteFamily(output, family);
            }

            return output.ToString();
        }
    }

    public void Dispose() => collector.Dispose();
}
