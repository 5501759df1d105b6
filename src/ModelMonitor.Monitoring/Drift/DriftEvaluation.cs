using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>The window an evaluation judged: its size, labelled part and time span.</summary>
public sealed record WindowInfo(int Count, int Labelled, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>
/// One evaluation of the current window against the reference. <see cref="Diagnosis"/> says what
/// kind of change it is: <c>none</c>, <c>data_drift</c> (inputs moved), <c>output_drift</c>
/// (only outputs moved), <c>concept_drift</c> (performance fell while inputs did not drift) or
/// <c>data_drift_with_performance_drop</c>, or <c>prior_shift</c> (the true-label mix moved while
/// performance held).
/// </summary>
public sealed record DriftEvaluation(
    long Sequence,
    DateTimeOffset EvaluatedAt,
    WindowInfo Window,
    int ReferenceCount,
    string? SkippedReason,
    IReadOnlyList<FeatureDriftResult> Features,
    PerformanceSnapshot? Performance,
    PerformanceBaseline Baseline,
    IReadOnlyList<Breach> Breaches,
    Severity Severity,
    string Diagnosis)
{
    public bool Skipped => SkippedReason is not null;

    /// <summary>Features not judged in this evaluation (the score features while their live reference is collected), and why.</summary>
    public IReadOnlyList<string> PendingFeatures { get; init; } = [];

    public string? PendingReason { get; init; }

    /// <summary>Accuracy and F1 with their confidence intervals and one-sided p-values; null without enough labels.</summary>
    public PerformanceJudgement? Judgement { get; init; }

    /// <summary>The window's true-label mix against the reference's predicted-label mix; null without enough labels.</summary>
    public FeatureDriftResult? LabelMix { get; init; }

    /// <summary>Accuracy and F1 estimated from the window's calibrated probabilities (CBPE), and checked against the labels that arrived; null without an estimator.</summary>
    public ModelMonitor.Monitoring.Performance.Estimation.EstimatedPerformance? Estimated { get; init; }

    public bool DriftDetected => Severity > Severity.None;

    /// <summary>
    /// True for the latest evaluation brought back from the audit trail at startup: its sequence,
    /// time, window size, severity and diagnosis, without the per-feature detail until the next one runs.
    /// </summary>
    public bool RestoredFromAudit { get; init; }
}
