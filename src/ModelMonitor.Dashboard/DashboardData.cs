using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Dashboard;

/// <summary>
/// Everything the page draws, in one object: the live page assembles it from the service's API in
/// its script, the report from the audit trail here. Its fields are documented in docs/dashboard.md.
/// </summary>
public sealed record DashboardData(
    string Mode,
    string Title,
    DateTimeOffset GeneratedAt,
    DateTimeOffset? PeriodFrom,
    DateTimeOffset? PeriodTo,
    DashboardCounts Counts,
    DashboardNow Now,
    IReadOnlyList<string> Recommendations,
    PerformanceSummary Performance,
    IReadOnlyList<HistoryPoint> History,
    HistoryDownsampling? HistoryDownsampled,
    TrafficPage? Traffic,
    IReadOnlyList<LatencyPoint> Latency,
    string LatencySource,
    IReadOnlyList<AlertRecord> Alerts,
    IReadOnlyDictionary<string, int> AlertsByType,
    IReadOnlyList<DashboardNote> Notes)
{
    /// <summary>Performance estimated before labels (CBPE): the period's estimates, the latest first, beside the realized values; null without an estimator.</summary>
    public EstimationSummary? Estimation { get; init; }
}

public sealed record DashboardCounts(long Predictions, long Feedback, long FeedbackJoined, int Evaluations, int EvaluationsWithDrift, int Skipped);

/// <summary>The latest evaluation: severity, window and reference sizes, features, firing alerts and its recommendation.</summary>
public sealed record DashboardNow(
    string Severity,
    string? Diagnosis,
    DateTimeOffset? EvaluatedAt,
    long? Sequence,
    string? SkippedReason,
    int? Window,
    int? WindowCapacity,
    int? Labelled,
    int? ReferenceCount,
    string? ReferenceState,
    IReadOnlyList<HistoryFeature> Features,
    HistoryFeature? LabelMix,
    IReadOnlyList<AlertRecord> Firing,
    string? Recommendation);

/// <summary>Latency percentiles (milliseconds) at a time, and how many requests or predictions they cover.</summary>
public sealed record LatencyPoint(DateTimeOffset At, double? P50Ms, double? P90Ms, double? P99Ms, long Count);

/// <summary>A note shown above the page (an error when <see cref="Error"/>).</summary>
public sealed record DashboardNote(string Text, bool Error = false);
