using System.Diagnostics.Metrics;
using System.Text;
using ModelMonitor.Service.Metrics;

namespace ModelMonitor.Service.Tests.Metrics;

public class PrometheusTextTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-300, "1E-300")]
    [InlineData(42.0, "42")]
    public void Values_are_written_as_prometheus_reads_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public void Label_values_and_help_are_escaped()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusText.EscapeLabelValue("a\\b\"c\nd"));
        Assert.Equal("one\\\\two\\nthree \"quoted\"", PrometheusText.EscapeHelp("one\\two\nthree \"quoted\""));
        Assert.Equal("model_info_2", PrometheusText.SanitizeName("model.info-2"));
        Assert.Equal("_9lives", PrometheusText.SanitizeName("9lives"));
    }

    [Fact]
    public void A_family_has_one_help_and_one_type_line_before_its_samples()
    {
        var output = new StringBuilder();
        PrometheusText.WriteFamily(output, new MetricFamily("x_total", "Things.\nMore.", "counter", [new("x_total", [("a", "1")], 2), new("x_total", [("a", "q\"")], 3)]));
        Assert.Equal("# HELP x_total Things.\\nMore.\n# TYPE x_total counter\nx_total{a=\"1\"} 2\nx_total{a=\"q\\\"\"} 3\n", output.ToString());
    }

    [Fact]
    public void The_collector_names_by_convention_and_aggregates_each_kind()
    {
        using var meter = new Meter("test-" + Guid.NewGuid().ToString("N"));
        using var other = new Meter("other");
        var durations = meter.CreateHistogram<double>("app.step.duration", "s", "Step time.");
        var sizes = meter.CreateHistogram<int>("app.batch.size", "{text}", "Batch.");
        var requests = meter.CreateCounter<long>("app.requests", "{request}", "Requests.");
        var inFlight = meter.CreateUpDownCounter<long>("app.in_flight", null, "In flight.");
        meter.CreateObservableGauge("app.temperature", () => new Measurement<double>(21.5, new KeyValuePair<string, object?>("room", "a")), null, "Temperature.");
        other.CreateCounter<long>("app.requests").Add(100);
        using var collector = new MeterCollector(meter, new Dictionary<string, double[]> { ["app.batch.size"] = [1, 4] });

        durations.Record(0.003);
        durations.Record(0.2);
        sizes.Record(3);
        sizes.Record(9);
        requests.Add(2, new KeyValuePair<string, object?>("route", "/b"));
        requests.Add(5, new KeyValuePair<string, object?>("route", "/a"));
        requests.Add(1, new KeyValuePair<string, object?>("route", "/a"));
        inFlight.Add(3);
        inFlight.Add(-1);
        var families = collector.Collect().ToDictionary(f => f.Name);

        Assert.Equal(["app_batch_size", "app_in_flight", "app_requests_total", "app_step_duration_seconds", "app_temperature"], families.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("counter", families["app_requests_total"].Type);
        Assert.Equal([("/a", 6.0), ("/b", 2.0)], families["app_requests_total"].Samples.Select(s => (s.Labels[0].Value, s.Value)));
        Assert.Equal(2, families["app_in_flight"].Samples.Single().Value);
        Assert.Equal(("gauge", 21.5), (families["app_temperature"].Type, families["app_temperature"].Samples.Single().Value));

        var batch = families["app_batch_size"].Samples;
        Assert.Equal(["1:0", "4:1", "+Inf:2"], batch.Where(s => s.Name == "app_batch_size_bucket").Select(s => $"{s.Labels.Single(l => l.Name == "le").Value}:{s.Value}"));
        Assert.Equal(12, batch.Single(s => s.Name == "app_batch_size_sum").Value);
        var step = families["app_step_duration_seconds"].Samples;
        Assert.Equal(2, step.Single(s => s.Name == "app_step_duration_seconds_count").Value);
        Assert.Equal(1, step.Single(s => s.Name == "app_step_duration_seconds_bucket" && s.Labels[0].Value == "0.005").Value);
    }
}
