using System.Text.Json;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// Performance estimated before labels (CBPE) on the real model: calibrated on one half of SST-2 dev
/// (the labelled reference), estimated live on the other half, shown in /drift, /report and /metrics,
/// checked against labels as they arrive, alerted on as an estimate, and kept across restarts.
/// </summary>
public sealed class PerformanceEstimationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mm-estimate-").FullName;
    private readonly string reference;
    private readonly (string Text, string Label)[] traffic;

    public PerformanceEstimationTests()
    {
        var dev = MonitoringClient.Dev;
        reference = Path.Combine(folder, "dev-even.tsv");
        File.WriteAllLines(reference, ["sentence\tlabel", .. dev.Where((_, i) => i % 2 == 0).Select(d => $"{d.Text}\t{d.Label}")]);
        traffic = [.. dev.Where((_, i) => i % 2 == 1)];
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static double[] Interval(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetDouble())];

    private async Task<string[]> PredictTrafficAsync(HttpClient client)
    {
        await MonitoringClient.WaitForReferenceAsync(client);
        return await MonitoringClient.PredictAsync(client, traffic.Select(t => t.Text));
    }

    [Fact]
    public async Task Estimates_are_live_with_their_intervals_and_are_checked_against_the_labels_that_arrive()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(reference, null));
        var client = factory.CreateClient();
        var ids = await PredictTrafficAsync(client);

        // The estimator was calibrated on the reference's 436 labelled texts (Platt: fewer than 1,000).
        var drift = await MonitoringClient.EvaluateAsync(client);
        var estimator = drift.GetProperty("reference").GetProperty("estimator");
        Assert.Equal(436, estimator.GetProperty("labelled").GetInt64());
        Assert.Equal("platt", estimator.GetProperty("method").GetString());
        Assert.True(estimator.GetProperty("ece_after").GetDouble() < estimator.GetProperty("ece_before").GetDouble());

        var estimated = drift.GetProperty("evaluation").GetProperty("estimated_performance");
        Assert.Equal(traffic.Length, estimated.GetProperty("count").GetInt64());
        var accuracy = estimated.GetProperty("accuracy").GetDouble();
        var accuracyCi = Interval(estimated.GetProperty("accuracy_ci"));
        var f1Ci = Interval(estimated.GetProperty("f1_ci"));
        Assert.InRange(accuracy, accuracyCi[0], accuracyCi[1]);
        Assert.InRange(estimated.GetProperty("f1").GetDouble(), f1Ci[0], f1Ci[1]);
        Assert.True(accuracyCi[1] - accuracyCi[0] is > 0.01 and < 0.2, "the interval reflects a window of 436");
        Assert.Equal(JsonValueKind.Null, estimated.GetProperty("realized").ValueKind);
        Assert.Equal(2, estimated.GetProperty("labels").GetArrayLength());

        // Labels arrive: the realized value stands beside the estimate.
        await MonitoringClient.FeedbackAsync(client, ids.Zip(traffic, (id, t) => (id, t.Label)));
        var labelled = (await MonitoringClient.EvaluateAsync(client)).GetProperty("evaluation");
        var realized = labelled.GetProperty("estimated_performance").GetProperty("realized");
        Assert.Equal(traffic.Length, realized.GetProperty("labelled").GetInt64());
        Assert.Equal(labelled.GetProperty("performance").GetProperty("accuracy").GetDouble(), realized.GetProperty("accuracy").GetDouble(), 10);
        var (estimate, measured) = (realized.GetProperty("estimated_accuracy").GetDouble(), realized.GetProperty("accuracy").GetDouble());
        Assert.True(Math.Abs(estimate - measured) < 0.05, $"estimated {estimate:F3}, realized {measured:F3}");
        Assert.True(realized.GetProperty("accuracy_within_interval").GetBoolean());

        // The report sets them side by side; the metrics carry the estimate and its bounds.
        using var report = JsonDocument.Parse(await client.GetStringAsync("/report"));
        var estimation = report.RootElement.GetProperty("estimation");
        Assert.Equal(2, estimation.GetProperty("evaluations").GetInt32());
        Assert.Equal(1, estimation.GetProperty("checked").GetInt32());
        Assert.Equal(measured, estimation.GetProperty("latest")[0].GetProperty("realized_accuracy").GetDouble(), 10);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("modelmonitor_estimated_accuracy{bound=\"estimate\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("modelmonitor_estimated_f1{bound=\"high\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_estimated_drop_is_mailed_as_an_estimate_and_labels_that_confirm_it_keep_the_alert()
    {
        // A baseline the model does not reach on this traffic: the estimate (about 0.81) lies wholly below 0.97 - 5 points.
        using var smtp = new SmtpServer();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(reference, smtp, ("Drift:BaselineAccuracy", "0.97"), ("Alerts:DashboardUrl", "https://monitor.example.com/dashboard")));
        var client = factory.CreateClient();
        var ids = await PredictTrafficAsync(client);

        var drift = await MonitoringClient.EvaluateAsync(client);
        var breach = drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "performance");
        Assert.True(breach.GetProperty("estimated").GetBoolean());
        Assert.Equal("high", breach.GetProperty("severity").GetString());

        var mail = await smtp.WaitForAsync(m => m.Any(x => x.Header("Subject").Contains("estimated performance", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var sent = mail.First(x => x.Header("Subject").Contains("estimated performance", StringComparison.Ordinal));
        Assert.Contains("THIS IS AN ESTIMATE", sent.Body, StringComparison.Ordinal);
        Assert.Contains("Dashboard: https://monitor.example.com/dashboard", sent.Body, StringComparison.Ordinal);
        Assert.Contains("calibrated on 436 labelled texts", sent.Body.ReplaceLineEndings(" "), StringComparison.Ordinal);

        // The labels confirm the drop: the alert stays firing, now on measured values, escalated to critical and mailed again.
        await MonitoringClient.FeedbackAsync(client, ids.Zip(traffic, (id, t) => (id, t.Label)));
        await MonitoringClient.EvaluateAsync(client);
        await smtp.WaitForAsync(m => m.Any(x => x.Header("Subject").Contains("[CRITICAL] ESCALATED: performance", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        var performance = alerts.RootElement.GetProperty("active").EnumerateArray().Single(a => a.GetProperty("type").GetString() == "performance");
        Assert.False(performance.GetProperty("estimated").GetBoolean());
        Assert.Equal("critical", performance.GetProperty("severity").GetString());
        Assert.Contains("confirm the estimated drop", performance.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_estimates_with_the_calibration_kept_in_the_audit()
    {
        var audit = Path.Combine(folder, "audit");
        JsonElement before;
        using (var first = new ConfiguredServiceFactory(MonitoringClient.Settings(reference, null, ("Audit:Directory", audit))))
        {
            var client = first.CreateClient();
            await MonitoringClient.WaitForReferenceAsync(client);
            using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
            before = drift.RootElement.GetProperty("reference").GetProperty("estimator").Clone();
        }

        using var second = new ConfiguredServiceFactory(MonitoringClient.Settings(reference, null, ("Audit:Directory", audit)));
        var restarted = second.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(restarted);
        using var again = JsonDocument.Parse(await restarted.GetStringAsync("/drift"));
        Assert.Equal(before.GetRawText(), again.RootElement.GetProperty("reference").GetProperty("estimator").GetRawText());

        // One calibration record: the second start reused it instead of fitting and recording another.
        using var records = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(restarted, "/audit?kind=calibration"));
        var record = Assert.Single(records.RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal(reference, record.GetProperty("source").GetString());
    }
}
