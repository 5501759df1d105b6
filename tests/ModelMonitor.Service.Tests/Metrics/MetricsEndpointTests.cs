using System.Net;
using System.Net.Http.Json;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.Metrics;

/// <summary>/metrics through the real service: the values match what happened, and promtool finds nothing to lint.</summary>
public sealed class MetricsEndpointTests
{
    /// <summary>Every family /metrics publishes (audit on, on Linux), with its type, as docs/metrics.md lists them.</summary>
    private static readonly Dictionary<string, string> DocumentedFamilies = new(StringComparer.Ordinal)
    {
        ["modelmonitor_predictions_total"] = "counter",
        ["modelmonitor_http_request_duration_seconds"] = "histogram",
        ["modelmonitor_tokenize_duration_seconds"] = "histogram",
        ["modelmonitor_queue_duration_seconds"] = "histogram",
        ["modelmonitor_inference_duration_seconds"] = "histogram",
        ["modelmonitor_batch_size"] = "histogram",
        ["modelmonitor_batch_tokens"] = "histogram",
        ["modelmonitor_http_requests_in_flight"] = "gauge",
        ["modelmonitor_queue_depth"] = "gauge",
        ["modelmonitor_inference_active_calls"] = "gauge",
        ["modelmonitor_inference_solo_calls_total"] = "counter",
        ["modelmonitor_monitor_leader"] = "gauge",
        ["modelmonitor_errors_total"] = "counter",
        ["modelmonitor_model_accuracy"] = "gauge",
        ["modelmonitor_model_f1_score"] = "gauge",
        ["modelmonitor_model_precision"] = "gauge",
        ["modelmonitor_model_recall"] = "gauge",
        ["modelmonitor_model_labelled_predictions"] = "gauge",
        ["modelmonitor_model_baseline_accuracy"] = "gauge",
        ["modelmonitor_drift_statistic"] = "gauge",
        ["modelmonitor_drift_p_value"] = "gauge",
        ["modelmonitor_drift_adjusted_p_value"] = "gauge",
        ["modelmonitor_drift_effect_size"] = "gauge",
        ["modelmonitor_drift_feature_drifted"] = "gauge",
        ["modelmonitor_drift_detected"] = "gauge",
        ["modelmonitor_estimated_accuracy"] = "gauge",
        ["modelmonitor_estimated_f1"] = "gauge",
        ["modelmonitor_drift_severity"] = "gauge",
        ["modelmonitor_drift_window_size"] = "gauge",
        ["modelmonitor_drift_reference_size"] = "gauge",
        ["modelmonitor_drift_evaluations_total"] = "counter",
        ["modelmonitor_alerts_fired_total"] = "counter",
        ["modelmonitor_alerts_sent_total"] = "counter",
        ["modelmonitor_alerts_failed_total"] = "counter",
        ["modelmonitor_alerts_active"] = "gauge",
        ["modelmonitor_audit_records_total"] = "counter",
        ["modelmonitor_audit_written_bytes_total"] = "counter",
        ["modelmonitor_audit_commit_duration_seconds"] = "histogram",
        ["modelmonitor_audit_store_size_bytes"] = "gauge",
        ["modelmonitor_model_info"] = "gauge",
        ["process_cpu_seconds_total"] = "counter",
        ["process_resident_memory_bytes"] = "gauge",
        ["process_virtual_memory_bytes"] = "gauge",
        ["process_start_time_seconds"] = "gauge",
        ["process_num_threads"] = "gauge",
        ["process_open_fds"] = "gauge",
        ["dotnet_gc_collections_total"] = "counter",
        ["dotnet_gc_heap_size_bytes"] = "gauge",
        ["dotnet_gc_allocated_bytes_total"] = "counter",
        ["dotnet_threadpool_threads"] = "gauge",
    };

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

        // No API key, although the service has an admin key: Prometheus scrapes without one.
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var samples = Exposition.Samples(text);

        Assert.Equal(150, samples.Where(s => s.Key.StartsWith("modelmonitor_predictions_total{", StringComparison.Ordinal)).Sum(s => s.Value));
        Assert.Contains("modelmonitor_predictions_total{label=\"POSITIVE\",model=\"sst2-tiny\"}", samples.Keys);
        Assert.Equal(1, samples["modelmonitor_errors_total{reason=\"invalid_request\",status=\"400\"}"]);
        Assert.Equal(1, samples["modelmonitor_errors_total{reason=\"not_found\",status=\"404\"}"]);
        Assert.Equal(5, samples["modelmonitor_http_request_duration_seconds_count{method=\"POST\",route=\"/predict\",status=\"200\"}"]);
        Assert.Equal(1, samples.Single(s => s.Key.StartsWith("modelmonitor_model_info{", StringComparison.Ordinal) && s.Key.Contains($"runtime_version=\"{ModelMonitor.Testing.PinnedOnnxRuntime.Version}\"", StringComparison.Ordinal) && s.Key.Contains("sha256=\"ab88a6317a", StringComparison.Ordinal)).Value);
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

    [Fact]
    public async Task Requests_served_before_the_first_scrape_all_count()
    {
        // prometheus-net's adapter for .NET meters starts listening at the first scrape (issue #13
        // measured 3 of 7 requests) and calls a Counter<T> a gauge; the service's own metrics keep
        // every request from startup, as counters.
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        for (var i = 0; i < 7; i++)
        {
            (await client.PostAsJsonAsync("/predict", new { texts = new[] { $"request {i}, before any scrape" } })).EnsureSuccessStatusCode();
        }

        var text = await client.GetStringAsync("/metrics");
        var (samples, types) = (Exposition.Samples(text), Exposition.Types(text));

        Assert.Equal("counter", types["modelmonitor_predictions_total"]);
        Assert.Equal(7, Exposition.Sum(samples, "modelmonitor_predictions_total"));
        Assert.Equal("histogram", types["modelmonitor_http_request_duration_seconds"]);
        Assert.Equal(7, samples["modelmonitor_http_request_duration_seconds_count{method=\"POST\",route=\"/predict\",status=\"200\"}"]);
        Assert.Equal(7, samples["modelmonitor_tokenize_duration_seconds_count"]);
        Assert.Equal(7, samples["modelmonitor_batch_size_sum"]);
    }

    [Fact]
    public async Task Two_services_in_one_process_count_only_their_own_requests()
    {
        using var first = new ServiceFactory();
        using var second = new ServiceFactory();
        var (firstClient, secondClient) = (first.CreateClient(), second.CreateClient());
        await MonitoringClient.PredictAsync(firstClient, MonitoringClient.Dev.Take(3).Select(d => d.Text));
        await MonitoringClient.PredictAsync(secondClient, MonitoringClient.Dev.Take(5).Select(d => d.Text));

        Assert.Equal(3, Exposition.Sum(Exposition.Samples(await firstClient.GetStringAsync("/metrics")), "modelmonitor_predictions_total"));
        Assert.Equal(5, Exposition.Sum(Exposition.Samples(await secondClient.GetStringAsync("/metrics")), "modelmonitor_predictions_total"));
    }

    [Fact]
    public async Task Every_family_has_its_documented_type_and_buckets_and_nothing_else_is_published()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/predict", new { texts = new[] { "one", "two" } })).EnsureSuccessStatusCode();
        await client.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/predict"));
        var text = await client.GetStringAsync("/metrics");
        var types = Exposition.Types(text);

        Assert.Equal(DocumentedFamilies.OrderBy(f => f.Key, StringComparer.Ordinal), types.OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.All(types, f => Assert.Equal(f.Key.EndsWith("_total", StringComparison.Ordinal), f.Value == "counter"));
        string[] seconds = ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
        foreach (var histogram in new[] { "modelmonitor_http_request_duration_seconds", "modelmonitor_tokenize_duration_seconds", "modelmonitor_queue_duration_seconds", "modelmonitor_inference_duration_seconds", "modelmonitor_audit_commit_duration_seconds" })
        {
            Assert.Equal(seconds, Exposition.BucketBounds(text, histogram));
        }

        Assert.Equal(["1", "2", "4", "8", "16", "32", "64", "128", "+Inf"], Exposition.BucketBounds(text, "modelmonitor_batch_size"));
        Assert.Equal(["16", "64", "256", "1024", "4096", "16384", "65536", "+Inf"], Exposition.BucketBounds(text, "modelmonitor_batch_tokens"));

        // A method outside the standard ones is one bounded label value, not a new series per spelling.
        Assert.Contains("method=\"_OTHER\",route=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BREW", text, StringComparison.Ordinal);
    }
}
