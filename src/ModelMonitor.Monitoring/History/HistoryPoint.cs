using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.History;

/// <summary>
/// One drift evaluation as the history serves it, read back from its <c>drift_evaluation</c> audit
/// record: when, its sequence, the window it judged, severity and diagnosis, performance, and each
/// feature's test, verdict and histogram. Fields a record predates are null or empty.
/// </summary>
public sealed record HistoryPoint(
    string Id,
    long Sequence,
    DateTimeOffset At,
    bool Skipped,
    string? SkippedReason,
    Severity Severity,
    string Diagnosis,
    int Window,
    int Labelled,
    DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowTo,
    int? ReferenceCount,
    IReadOnlyList<string> DriftedFeatures,
    IReadOnlyList<string> BreachTypes,
    HistoryPerformance? Performance,
    IReadOnlyList<HistoryFeature> Features,
    HistoryFeature? LabelMix)
{
    /// <summary>How many evaluations this point stands for: 1, or more when a long range was downsampled (it is the worst of them).</summary>
    public int Represents { get; init; } = 1;
}

/// <summary>
/// The window's performance over its labelled predictions. <see cref="F1"/> is the F1 the monitor
/// judges (macro over the classes present among the true labels), with the confidence interval of
/// the judgement like <see cref="Accuracy"/>; precision and recall are macro averages.
/// </summary>
public sealed record HistoryPerformance(
    long? Labelled,
    double? Accuracy,
    double? AccuracyLow,
    double? AccuracyHigh,
    double? PrecisionMacro,
    double? RecallMacro,
    double? F1Macro,
    double? F1,
    double? F1Low,
    double? F1High,
    double? Confidence,
    double? BaselineAccuracy,
    double? BaselineF1);

/// <summary>One feature of an evaluation: its significance test, p-values, effect size, verdict, and reference against current counts.</summary>
public sealed record HistoryFeature(
    string Feature,
    string? Group,
    string? Kind,
    string? Test,
    double? Statistic,
    double? PValue,
    double? AdjustedPValue,
    string? EffectMeasure,
    double? EffectSize,
    string Verdict,
    long? ReferenceCount,
    long? CurrentCount,
    HistoryHistogram? Histogram);

/// <summary>
/// Counts per bin, reference and current. Numeric features: <see cref="Edges"/> are the interior
/// cut points of the reference-quantile bins (bin i holds edges[i−1] &lt; x ≤ edges[i]), and
/// <see cref="Low"/> / <see cref="High"/> the smallest and largest value seen. Categorical
/// features: <see cref="Categories"/> name the bins.
/// </summary>
public sealed record HistoryHistogram(
    IReadOnlyList<double> Edges,
    IReadOnlyList<string> Categories,
    IReadOnlyList<double> Reference,
    IReadOnlyList<double> Current,
    double? Low,
    double? High);
