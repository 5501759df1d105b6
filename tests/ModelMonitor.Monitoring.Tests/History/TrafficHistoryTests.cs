using ModelMonitor.Audit;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Monitoring.Tests.History;

public sealed class TrafficHistoryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly AuditStore store = new();

    public void Dispose() => store.Dispose();

    private static AuditEntry Prediction(DateTimeOffset at, string label, double latencyMs, string text = "a film") =>
        new(MonitoringAuditRecords.PredictionKind, at, "r", json =>
        {
            json.WriteStartObject("input");
            json.WriteString("text", text);
            json.WriteEndObject();
            json.WriteString("label", label);
            json.WriteNumber("latency_ms", latencyMs);
        });

    [Fact]
    public async Task Buckets_count_predictions_by_label_and_feedback_and_read_latency_percentiles_within_five_percent()
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 600; i++)
        {
            // First hour: latencies 1..300 ms (each twice); second hour: all 50 ms, and only POSITIVE.
            var at = Start.AddSeconds(i * 12);
            entries.Add(i < 300 ? Prediction(at, i % 3 == 0 ? "NEGATIVE" : "POSITIVE", (i % 150) * 2 + 1) : Prediction(at, "POSITIVE", 50));
        }

        entries.Add(MonitoringAuditRecords.Feedback(Start.AddMinutes(30), "r", "p", "NEGATIVE", 0, true));
        entries.Add(new AuditEntry(MonitoringAuditRecords.EvaluationKind, Start.AddMinutes(31), null, json => json.WriteString("label", "ignored")));
        await store.WriteAsync(entries.OrderBy(e => e.Timestamp));

        var page = TrafficHistory.Read(store.Directory, Start, Start.AddHours(2), 2);
        Assert.Equal(3600, page.BucketSeconds);
        Assert.Equal(["NEGATIVE", "POSITIVE"], page.Labels);
        var (first, second) = (page.Buckets[0], page.Buckets[1]);
        Assert.Equal(300, first.Predictions);
        Assert.Equal(100, first.Labels["NEGATIVE"]);
        Assert.Equal(200, first.Labels["POSITIVE"]);
        Assert.Equal(1, first.Feedback);
        Assert.Equal(1, first.FeedbackLabels["NEGATIVE"]);
        Assert.Equal(300, second.Predictions);
        Assert.False(second.Labels.ContainsKey("NEGATIVE"));

        // Exact percentiles of the first hour's latencies (nearest rank), and the log bins' estimates.
        var latencies = Enumerable.Range(0, 300).Select(i => (double)((i % 150) * 2 + 1)).Order().ToArray();
        double Exact(double q) => latencies[(int)Math.Ceiling(q * latencies.Length) - 1];
        Assert.Equal(Exact(0.5), first.LatencyP50Ms!.Value, Exact(0.5) * 0.05);
        Assert.Equal(Exact(0.9), first.LatencyP90Ms!.Value, Exact(0.9) * 0.05);
        Assert.Equal(Exact(0.99), first.LatencyP99Ms!.Value, Exact(0.99) * 0.05);
        Assert.Equal(50, second.LatencyP50Ms!.Value, 2.5);
        Assert.Equal(second.LatencyP50Ms, second.LatencyP99Ms);
    }

    [Fact]
    public async Task A_range_without_records_has_empty_buckets()
    {
        await store.WriteAsync([Prediction(Start, "POSITIVE", 3)]);
        var page = TrafficHistory.Read(store.Directory, Start.AddDays(3), Start.AddDays(3).AddHours(1), 4);
        Assert.Equal(4, page.Buckets.Count);
        Assert.All(page.Buckets, b => Assert.Equal(0, b.Predictions));
        Assert.All(page.Buckets, b => Assert.Null(b.LatencyP50Ms));
    }
}
