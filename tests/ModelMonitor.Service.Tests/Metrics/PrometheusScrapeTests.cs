using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Service.Tests.Monitoring;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Metrics;

/// <summary>
/// A real Prometheus (Debian's package) scrapes the real service over 127.0.0.1: the series arrive
/// with the right values, the alert rules load, and every Grafana panel's query returns data.
/// </summary>
public sealed class PrometheusScrapeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-prometheus-").FullName;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        http.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private async Task<JsonElement> QueryAsync(int port, string query)
    {
        var url = $"http://127.0.0.1:{port}/api/v1/query?query={Uri.EscapeDataString(query)}";
        using var body = JsonDocument.Parse(await http.GetStringAsync(url));
        Assert.Equal("success", body.RootElement.GetProperty("status").GetString());
        return body.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    private static double Value(JsonElement result) => double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Prometheus_scrapes_the_right_values_and_every_dashboard_panel_has_data()
    {
        var servicePort = RealProcess.FreePort();
        var prometheusPort = RealProcess.FreePort();
        using var service = RealProcess.Service(
            servicePort,
            $"--Model:Path={TestPaths.Sst2TinyModel}",
            $"--Audit:Directory={Path.Combine(directory, "audit")}",
            $"--Alerts:OutboxDirectory={Path.Combine(directory, "alerts")}",
            "--Drift:LiveReferenceSize=200",
            "--Drift:EvaluateEveryPredictions=0",
            "--Drift:EvaluationIntervalSeconds=3600",
            "--Drift:BaselineAccuracy=0.81",
            $"--Security:AdminApiKey={MonitoringClient.AdminKey}",
            "--Log:MinimumLevel=Warning");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{servicePort}") };
        await service.WaitUntilOkAsync(client, "/health/ready", TimeSpan.FromSeconds(60));

        var rules = Path.Combine(TestPaths.RepositoryRoot, "docker", "prometheus", "alerts.yml");
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}
            scrape_configs:
              - job_name: modelmonitor
                static_configs:
                  - targets: ["127.0.0.1:{servicePort}"]
            """);
        using var prometheus = new RealProcess("prometheus", [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "tsdb")}", $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn"]);
        await prometheus.WaitUntilOkAsync(http, $"http://127.0.0.1:{prometheusPort}/-/ready", TimeSpan.FromSeconds(60));
        await WaitForAsync(async () => (await QueryAsync(prometheusPort, "up{job=\"modelmonitor\"} == 1")).GetArrayLength() == 1);

        // Traffic: 300 SST-2 sentences with their labels, then 300 banking77 queries (drift), then an evaluation.
        var dev = MonitoringClient.Dev.Take(300).ToArray();
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(300).Select(b => b.Text));
        await client.PostAsJsonAsync("/predict", new { texts = Array.Empty<string>() });
        var drift = await MonitoringClient.EvaluateAsync(client);
        var accuracy = drift.GetProperty("evaluation").GetProperty("performance").GetProperty("accuracy").GetDouble();

        // The scraped values are the service's.
        await WaitForAsync(async () => (await QueryAsync(prometheusPort, "sum(modelmonitor_predictions_total)")) is { } r && r.GetArrayLength() == 1 && Value(r) == 600);
        await WaitForAsync(async () => (await QueryAsync(prometheusPort, "modelmonitor_model_accuracy")).GetArrayLength() == 1);
        Assert.Equal(accuracy, Value(await QueryAsync(prometheusPort, "modelmonitor_model_accuracy")), 12);
        Assert.Equal(300, Value(await QueryAsync(prometheusPort, "modelmonitor_model_labelled_predictions")));
        Assert.Equal(1, Value(await QueryAsync(prometheusPort, "modelmonitor_drift_detected")));
        Assert.Equal(1, Value(await QueryAsync(prometheusPort, "sum(modelmonitor_errors_total{reason=\"invalid_request\"})")));
        Assert.Equal(1, Value(await QueryAsync(prometheusPort, $"modelmonitor_model_info{{name=\"sst2-tiny\",runtime_version=\"{ModelMonitor.Testing.PinnedOnnxRuntime.Version}\"}}")));
        Assert.Equal("drift", MonitoringClient.Features(drift).Single(f => f.GetProperty("feature").GetString() == "char_length").GetProperty("verdict").GetString());
        Assert.Equal(1, Value(await QueryAsync(prometheusPort, "modelmonitor_drift_feature_drifted{feature=\"char_length\"}")));

        // The alert rules loaded and are healthy.
        using (var loaded = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{prometheusPort}/api/v1/rules")))
        {
            var all = loaded.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToArray();
            Assert.Equal(8, all.Length);
            Assert.All(all, r => Assert.Equal("ok", r.GetProperty("health").GetString()));
        }

        // Every panel's every query returns data. rate() needs a series to grow between scrapes, so
        // traffic continues across a few more scrapes, as it would in production.
        for (var round = 0; round < 3; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Skip(300 + (64 * round)).Take(64).Select(b => b.Text));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "docker", "grafana", "dashboards", "modelmonitor.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToArray();
        Assert.True(queries.Length >= 14);
        var empty = new List<string>();
        foreach (var (panel, expr) in queries)
        {
            var result = await QueryAsync(prometheusPort, expr);
            if (result.GetArrayLength() == 0 || result.EnumerateArray().All(r => r.GetProperty("value")[1].GetString() is "NaN"))
            {
                empty.Add($"{panel}: {expr}");
            }
        }

        Assert.True(empty.Count == 0, "Panels without data:\n" + string.Join('\n', empty));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Prometheus did not see the expected series within 30 s.");
            await Task.Delay(250);
        }
    }
}
