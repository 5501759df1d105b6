using System.Text;
using ModelMonitor.Service.Metrics;
using Prometheus;

namespace ModelMonitor.Service.Tests.Metrics;

public sealed class SnapshotGaugeTests
{
    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var output = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Each_scrape_shows_exactly_the_series_read_and_drops_the_ones_no_longer_read()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        GaugeSample[] current = [new(0.5, "length"), new(0.01, "oov_rate")];
        var gauge = new SnapshotGauge(Prometheus.Metrics.WithCustomRegistry(registry), "test_p_value", "P-values.", ["feature"], () => current);
        registry.AddBeforeCollectCallback(gauge.Refresh);

        var first = Exposition.Samples(await ScrapeAsync(registry));
        current = [new(0.2, "oov_rate")];
        var second = Exposition.Samples(await ScrapeAsync(registry));

        Assert.Equal(new Dictionary<string, double> { ["test_p_value{feature=\"length\"}"] = 0.5, ["test_p_value{feature=\"oov_rate\"}"] = 0.01 }, first);
        Assert.Equal(new Dictionary<string, double> { ["test_p_value{feature=\"oov_rate\"}"] = 0.2 }, second);
    }

    [Fact]
    public async Task An_unlabelled_gauge_with_nothing_to_report_shows_no_sample_rather_than_zero()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        GaugeSample[] current = [];
        var gauge = new SnapshotGauge(Prometheus.Metrics.WithCustomRegistry(registry), "test_accuracy", "Accuracy.", [], () => current);
        registry.AddBeforeCollectCallback(gauge.Refresh);

        var before = await ScrapeAsync(registry);
        current = [new(0.9)];
        var evaluated = await ScrapeAsync(registry);
        current = [];
        var skipped = await ScrapeAsync(registry);

        Assert.Empty(Exposition.Samples(before));
        Assert.Contains("# TYPE test_accuracy gauge", before, StringComparison.Ordinal);
        Assert.Equal(0.9, Exposition.Samples(evaluated)["test_accuracy"]);
        Assert.Empty(Exposition.Samples(skipped));
    }
}
