using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Dashboard;

/// <summary>
/// Builds the page's data object from an audit store alone, for the offline HTML report: the
/// monitoring report (as GET /report and <c>modelmonitor report</c> build it), the evaluation
/// history (downsampled to <paramref name="maxPoints"/>), traffic and latency per time bucket, and
/// every alert with its latest state. "Now" is the latest evaluation that judged the window.
/// </summary>
public static class AuditReportData
{
    public const int DefaultMaxPoints = 500;

    public const int DefaultTrafficBuckets = 96;

    public static DashboardData Build(string directory, DateTimeOffset now, int maxPoints = DefaultMaxPoints, int trafficBuckets = DefaultTrafficBuckets) =>
        Build(new FileAuditSource(directory), now, maxPoints, trafficBuckets);

    public static DashboardData Build(IAuditSource source, DateTimeOffset now, int maxPoints = DefaultMaxPoints, int trafficBuckets = DefaultTrafficBuckets)
    {
        var builder = new ReportBuilder();
        var firing = MonitoringAuditRecords.Replay(source, builder);
        var report = builder.Build(now);
        var history = DriftHistory.Read(source, new HistoryQuery { MaxPoints = maxPoints, Features = false });

        TrafficPage? traffic = null;
        if (report.PeriodFrom is { } from && report.PeriodTo is { } to)
        {
            // The range is half-open; one millisecond more takes in the last record.
            traffic = TrafficHistory.Read(source, from, to.AddMilliseconds(1), trafficBuckets);
        }

        var latest = history.Latest;
        var nowView = new DashboardNow(
            latest?.Severity.Name() ?? Severity.None.Name(),
            latest?.Diagnosis,
            latest?.At,
            latest?.Sequence,
            latest?.SkippedReason,
            latest?.Window,
            null,
            latest?.Labelled,
            latest?.ReferenceCount,
            null,
            latest?.Features ?? [],
            latest?.LabelMix,
            firing,
            latest is null ? null : Playbook.ForDiagnosis(latest.Diagnosis));
        var latency = traffic is null
            ? []
            : traffic.Buckets.Where(b => b.LatencyP50Ms is not null).Select(b => new LatencyPoint(b.From, b.LatencyP50Ms, b.LatencyP90Ms, b.LatencyP99Ms, b.Predictions)).ToArray();
        return new DashboardData(
            "report",
            "ModelMonitor report",
            now,
            report.PeriodFrom,
            report.PeriodTo,
            new DashboardCounts(report.Predictions, report.Feedback, report.FeedbackJoined, report.Drift.Evaluations, report.Drift.WithDrift, report.Drift.Skipped),
            nowView,
            report.Recommendations,
            report.Performance,
            history.Evaluations,
            history.Downsampled,
            traffic,
            latency,
            "audit",
            Alerts(source),
            report.Drift.AlertsByType,
            [])
        {
            Estimation = report.Estimation,
        };
    }

    /// <summary>Every alert in the store, each in its latest state (fired, escalated, resolved), oldest first.</summary>
    private static AlertRecord[] Alerts(IAuditSource source)
    {
        var latest = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);
        foreach (var record in source.Export(null, null, [MonitoringAuditRecords.AlertKind]))
        {
            using var document = JsonDocument.Parse(record.Json);
            if (document.RootElement.TryGetProperty("alert", out var alert) && alert.Deserialize(MonitoringJsonContext.Default.AlertRecord) is { } parsed)
            {
                latest[parsed.Id] = parsed;
            }
        }

        return [.. latest.Values.OrderBy(a => a.FiredAt)];
    }
}
