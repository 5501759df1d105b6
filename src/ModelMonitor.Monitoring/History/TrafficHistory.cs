using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Monitoring.History;

/// <summary>
/// One time bucket of traffic: predictions and their predicted labels, feedback labels received,
/// and percentiles of the latency (milliseconds, of the request that carried each prediction).
/// </summary>
public sealed record TrafficBucket(
    DateTimeOffset From,
    long Predictions,
    IReadOnlyDictionary<string, long> Labels,
    long Feedback,
    IReadOnlyDictionary<string, long> FeedbackLabels,
    double? LatencyP50Ms,
    double? LatencyP90Ms,
    double? LatencyP99Ms);

/// <summary>Traffic over [from, to) in buckets of equal length, oldest first, with every label seen.</summary>
public sealed record TrafficPage(DateTimeOffset From, DateTimeOffset To, double BucketSeconds, IReadOnlyList<string> Labels, IReadOnlyList<TrafficBucket> Buckets);

/// <summary>
/// Prediction volume, label mix, feedback and latency over time, read from the audit trail's
/// prediction and feedback records. Memory is bounded by the bucket count, whatever the traffic:
/// latencies are counted into log-spaced bins (5% apart), and percentiles read from those.
/// </summary>
public static class TrafficHistory
{
    public const int MaxBuckets = 2000;

    public static TrafficPage Read(string directory, DateTimeOffset from, DateTimeOffset to, int buckets) => Read(new FileAuditSource(directory), from, to, buckets);

    public static TrafficPage Read(IAuditSource source, DateTimeOffset from, DateTimeOffset to, int buckets)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, MaxBuckets);
        if (to <= from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "The range must end after it starts.");
        }

        var width = Math.Max(1, ((to - from).Ticks + buckets - 1) / buckets);
        var counters = new Counter[buckets];
        foreach (var line in source.ExportLines(from, to, [MonitoringAuditRecords.PredictionKind, MonitoringAuditRecords.FeedbackKind]))
        {
            var index = (int)Math.Min(buckets - 1, (line.Timestamp - from).Ticks / width);
            var counter = counters[index] ??= new Counter();
            var (label, latency) = LabelAndLatency(line.Json);
            label ??= "unknown";
            if (line.Kind == MonitoringAuditRecords.PredictionKind)
            {
                counter.Predictions++;
                counter.Labels[label] = counter.Labels.GetValueOrDefault(label) + 1;
                if (latency is { } ms)
                {
                    counter.Latency.Add(ms);
                }
            }
            else
            {
                counter.Feedback++;
                counter.FeedbackLabels[label] = counter.FeedbackLabels.GetValueOrDefault(label) + 1;
            }
        }

        var labels = counters.Where(c => c is not null).SelectMany(c => c.Labels.Keys.Concat(c.FeedbackLabels.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var series = new TrafficBucket[buckets];
        for (var i = 0; i < buckets; i++)
        {
            var c = counters[i];
            series[i] = new TrafficBucket(
                from + TimeSpan.FromTicks(width * i),
                c?.Predictions ?? 0,
                c?.Labels ?? [],
                c?.Feedback ?? 0,
                c?.FeedbackLabels ?? [],
                c?.Latency.Percentile(0.50),
                c?.Latency.Percentile(0.90),
                c?.Latency.Percentile(0.99));
        }

        return new TrafficPage(from, to, (double)width / TimeSpan.TicksPerSecond, labels, series);
    }

    /// <summary>
    /// The record's own <c>label</c> and <c>latency_ms</c> (top-level members), read in one pass
    /// without building the record's document: a day of predictions is read per dashboard refresh.
    /// </summary>
    private static (string? Label, double? LatencyMs) LabelAndLatency(byte[] json)
    {
        string? label = null;
        double? latency = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("label"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    label = reader.GetString();
                }
                else if (reader.ValueTextEquals("latency_ms"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    latency = reader.GetDouble();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A damaged line: count what was read.
        }

        return (label, latency);
    }

    private sealed class Counter
    {
        public long Predictions;
        public long Feedback;
        public readonly Dictionary<string, long> Labels = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> FeedbackLabels = new(StringComparer.Ordinal);
        public readonly LogHistogram Latency = new();
    }
}
