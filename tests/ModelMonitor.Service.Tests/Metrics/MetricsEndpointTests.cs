using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.Metrics;

/// <summary>/metrics through the real service: the values match what happened, and promtool finds nothing to lint.</summary>
public sealed partial class MetricsEndpointTests
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    internal static Dictionary<string, double> Samples(string exposition) =>
        SampleLine().Matches(exposition).ToDictionary(
            m => m.Groups["labels"].Success ? $"{m.Groups["name"].Value}{{{m.Groups["labels"].Value}}}" : m.Groups["name"].Value,
            m => m.Groups["value"].Value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, var v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task Metrics_count_what_happened_and_pass_promtool()
    {
        // The first 100 predictions become the reference; the features are judged on the other 50.
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "100"), ("Drift:MinWindowSize", "50")));
        var client = factory.CreateClient();
        var dev = MonitoringClient.Dev.Take(150).ToArray();
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        await client.PostAsync("/predict", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await client.GetAsync("/nowhere");
        await MonitoringClient.EvaluateAsync(client);

        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var samples = Samples(text);

        Assert.Equal(150, samples.Where(s => s.Key.StartsWith("modelmonitor_predictions_total{", StringComparison.Ordinal)).Sum(s => s.Value));
        Assert.Contains("modelmonitor_predictions_total{label=\"POSITIVE\",model=\"sst2-tiny\"}", samples.Keys);
        Assert.Equal(1, samples["modelmonitor_errors_total{reason=\"invalid_request\",status=\"400\"}"]);
        Assert.Equal(1, samples["modelmonitor_errors_total{reason=\"not_found\",status=\"404\"}"]);
        Assert.Equal(5, samples["modelmonitor_http_request_duration_seconds_count{method=\"POST\",route=\"/predict\",status=\"200\"}"]);
        Assert.Equal(1, samples.Single(s => s.Key.StartsWith("modelmonitor_model_info{", StringComparison.Ordinal) && s.Key.Contains("runtime_version=\"1.30.0\"", StringComparison.Ordinal) && s.Key.Contains("sha256=\"ab88a6317a", StringComparison.Ordinal)).Value);
        Assert.Equal(5, samples["modelmonitor_tokenize_duration_seconds_count"]);
        Assert.True(samples["modelmonitor_batch_size_sum"] >= 150);
        Assert.True(samples["modelmonitor_audit_records_total"] >= 150 + 150);
        Assert.True(samples["modelmonitor_audit_commit_duration_seconds_count"] >= 1);
        Assert.True(samples["modelmonitor_audit_store_size_bytes"] > 0);
        Assert.True(samples["process_resident_memory_bytes"] > 0);

        // Performance and drift gauges come from the evaluation the test ran; 150 labelled predictions.
        var (correct, detected) = (0, false);
        using (var drift = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/drift")))
        {
            var accuracy = drift.RootElement.GetProperty("evaluation").GetProperty("performance").GetProperty("accuracy").GetDouble();
            Assert.Equal(accuracy, samples["modelmonitor_model_accuracy"]);
            correct = (int)Math.Round(accuracy * 150);
            detected = drift.RootElement.GetProperty("drift_detected").GetBoolean();
        }

        Assert.InRange(correct, 100, 150);
        Assert.Equal(150, samples["modelmonitor_model_labelled_predictions"]);
        Assert.Contains("modelmonitor_model_f1_score{average=\"macro\"}", samples.Keys);
        Assert.Equal(12, samples.Keys.Count(k => k.StartsWith("modelmonitor_drift_p_value{", StringComparison.Ordinal)));
        // Ten numeric features with five statistics each, two categorical ones with three.
        Assert.Equal((10 * 5) + (2 * 3), samples.Keys.Count(k => k.StartsWith("modelmonitor_drift_statistic{", StringComparison.Ordinal)));
        Assert.Equal(12, samples.Keys.Count(k => k.StartsWith("modelmonitor_drift_statistic{", StringComparison.Ordinal) && k.Contains("test=\"psi\"", StringComparison.Ordinal)));
        Assert.Equal(detected ? 1 : 0, samples["modelmonitor_drift_detected"]);
        Assert.Equal(1, samples["modelmonitor_drift_evaluations_total"]);

        // Exactly one HELP and one TYPE per family.
        var types = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToArray();
        Assert.Equal(types.Length, types.Distinct().Count());
        Assert.Equal(types.Length, text.Split('\n').Count(l => l.StartsWith("# HELP ", StringComparison.Ordinal)));

        var (exit, lint) = await ExternalTool.RunAsync("promtool", ["check", "metrics"], text);
        Assert.True(exit == 0 && lint.Trim().Length == 0, $"promtool check metrics: exit {exit}: {lint}");
    }
}
