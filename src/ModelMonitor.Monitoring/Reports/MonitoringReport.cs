using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// The period's accuracy over its labelled predictions (each once) with its 95% Wilson interval; and,
/// per evaluation that had enough labels, the spread of the windows' accuracy and their mean macro F1.
/// </summary>
public sealed record PerformanceSummary(int Evaluations, double? AccuracyMean, double? AccuracyMin, double? AccuracyMax, double? AccuracyStd, double? F1Mean)
{
    /// <summary>Labelled predictions in the period whose prediction was in the window when labelled.</summary>
    public long LabelledPredictions { get; init; }

    /// <summary>Correct / labelled over the period's labelled predictions; null without any.</summary>
    public double? Accuracy { get; init; }

    public double? AccuracyLow { get; init; }

    public double? AccuracyHigh { get; init; }
}

/// <summary>How often drift was found and which alerts fired, per type and per severity.</summary>
public sealed record DriftSummary(
    int Evaluations,
    int Skipped,
    int WithDrift,
    IReadOnlyDictionary<string, int> EvaluationsBySeverity,
    IReadOnlyDictionary<string, int> AlertsByType,
    Severity CurrentSeverity,
    string CurrentDiagnosis);

/// <summary>
/// The monitoring report: the period and prediction counts, a performance summary, a drift summary,
/// the last alerts and the recommended actions. Built the same way live (GET /report) and offline
/// (<c>modelmonitor report --audit-dir</c>).
/// </summary>
/// <summary>One evaluation's estimated performance beside the realized one (when its window had enough labels).</summary>
public sealed record EstimatedAgainstRealized(long Sequence, DateTimeOffset At, double EstimatedAccuracy, double EstimatedAccuracyLow, double EstimatedAccuracyHigh, double? RealizedAccuracy, double? EstimatedF1, double? RealizedF1)
{
    /// <summary>Whether the realized accuracy lies in the estimate's interval (null without labels).</summary>
    public bool? WithinInterval => RealizedAccuracy is { } r ? r >= EstimatedAccuracyLow && r <= EstimatedAccuracyHigh : null;
}

/// <summary>The period's performance estimates (CBPE): how many evaluations had one, their means, and the latest ones beside the realized values.</summary>
public sealed record EstimationSummary(int Evaluations, double? EstimatedAccuracyMean, double? EstimatedF1Mean, int Checked, int WithinInterval, IReadOnlyList<EstimatedAgainstRealized> Latest);

public sealed record MonitoringReport(
    DateTimeOffset GeneratedAt,
    DateTimeOffset? PeriodFrom,
    DateTimeOffset? PeriodTo,
    long Predictions,
    long Feedback,
    long FeedbackJoined,
    PerformanceSummary Performance,
    DriftSummary Drift,
    IReadOnlyList<AlertRecord> LastAlerts,
    IReadOnlyList<string> Recommendations)
{
    /// <summary>Performance estimated before labels, and against the labels where they exist; null when nothing was estimated.</summary>
    public EstimationSummary? Estimation { get; init; }
}
