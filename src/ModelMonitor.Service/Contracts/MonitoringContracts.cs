using ModelMonitor.Monitoring.Alerts;

namespace ModelMonitor.Service.Contracts;

/// <summary>GET /drift: the reference, the window and the latest evaluation.</summary>
public sealed record DriftResponse(
    ReferenceView Reference,
    WindowView Window,
    bool DriftDetected,
    string Severity,
    EvaluationView? Evaluation);

/// <summary>The reference: where it came from, its state (with progress while scoring), its size and its labelled performance.</summary>
public sealed record ReferenceView(
    string State,
    string Source,
    int Done,
    int Total,
    string? Message,
    int? Count,
    DateTimeOffset? CreatedAt,
    PerformanceView? Performance,
    BaselineView Baseline,
    ScoreReferenceView? Scores,
    IReadOnlyList<IReadOnlyList<string>>? SignalGroups)
{
    /// <summary>The performance estimator's calibration (from the baseline set, else the labelled reference); null when there is none.</summary>
    public CalibrationView? Estimator { get; init; }
}

/// <summary>
/// What confidence, margin and entropy are compared with: <c>reference</c> (the reference texts'
/// own scores) or <c>live</c> (the first live predictions after the reference was ready), its
/// state (<c>collecting</c> or <c>ready</c>), progress, and when it was frozen.
/// </summary>
public sealed record ScoreReferenceView(string Source, string State, int Collected, int Needed, DateTimeOffset? FrozenAt);

/// <summary>
/// The live window: how many predictions it holds now, the most it holds (Drift:WindowSize), its
/// time limit in seconds (Drift:WindowSeconds, null: none), and the fewest predictions an evaluation
/// needs (Drift:MinWindowSize).
/// </summary>
public sealed record WindowView(int PredictionsInWindow, int WindowCapacity, int? WindowSeconds, int MinPredictionsToEvaluate);

/// <summary>
/// What performance is compared with, and where it came from: <c>configured</c>
/// (Drift:BaselineAccuracy / BaselineF1), <c>baseline_set</c> (the model scored on Drift:BaselinePath),
/// <c>reference</c> (the model scored on the labelled reference itself) or <c>none</c>; the note says
/// why a reference-derived baseline may be inflated.
/// </summary>
public sealed record BaselineView(double? Accuracy, double? F1Macro, string Source, string? Note);

/// <summary>A performance figure with its confidence interval and the one-sided p-value that it is still at least the allowed level (baseline minus the allowed drop).</summary>
public sealed record MetricView(string Metric, double Value, double Low, double High, double Confidence, double? Baseline, double? AllowedLevel, double? PValue, string Method);

/// <summary>Performance over labelled predictions; <c>f1_present</c> is macro F1 over the classes present among the true labels, the F1 that is judged.</summary>
public sealed record PerformanceView(long Labelled, double Accuracy, double PrecisionMacro, double RecallMacro, double F1Macro, double PrecisionWeighted, double RecallWeighted, double F1Weighted, double F1Present);

/// <summary>One evaluation: when, on what window, every feature's tests and verdict, performance, breaches and severity.</summary>
public sealed record EvaluationView(
    long Sequence,
    DateTimeOffset EvaluatedAt,
    string? SkippedReason,
    string Severity,
    string Diagnosis,
    int WindowCount,
    int WindowLabelled,
    DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowTo,
    int ReferenceCount,
    IReadOnlyList<FeatureView> Features,
    PerformanceView? Performance,
    BaselineView Baseline,
    IReadOnlyList<BreachView> Breaches,
    string Recommendation,
    IReadOnlyList<string> PendingFeatures,
    string? PendingReason,
    IReadOnlyList<MetricView> PerformanceTests,
    FeatureView? LabelMix,
    bool RestoredFromAudit)
{
    /// <summary>Accuracy and F1 estimated from calibrated confidence before labels (CBPE), with intervals; null without an estimator.</summary>
    public EstimatedPerformanceView? EstimatedPerformance { get; init; }
}

/// <summary>
/// A window's estimated performance: accuracy and macro F1 with their intervals (<c>[lower, upper]</c>),
/// each label's precision, recall and F1, the weighted means, what the estimator was calibrated on,
/// and, for the window's labelled predictions, the realized values beside the estimate.
/// </summary>
public sealed record EstimatedPerformanceView(
    long Count,
    double Confidence,
    double Accuracy,
    IReadOnlyList<double> AccuracyCi,
    double F1,
    IReadOnlyList<double> F1Ci,
    double PrecisionMacro,
    double RecallMacro,
    double PrecisionWeighted,
    double RecallWeighted,
    double F1Weighted,
    IReadOnlyList<LabelEstimateView> Labels,
    CalibrationView Calibration,
    RealizedView? Realized);

public sealed record LabelEstimateView(string Label, double Precision, IReadOnlyList<double> PrecisionCi, double Recall, IReadOnlyList<double> RecallCi, double F1, IReadOnlyList<double> F1Ci, double ExpectedSupport);

/// <summary>What the estimator was calibrated on: the labelled set, its size, the method, and the expected calibration error before and after calibration on that set.</summary>
public sealed record CalibrationView(string CalibratedOn, long Labelled, string Method, double EceBefore, double EceAfter, string? Warning);

/// <summary>The window's labelled predictions: the realized accuracy and macro F1 and whether each lies in the estimate's interval for them.</summary>
public sealed record RealizedView(long Labelled, double Accuracy, double EstimatedAccuracy, bool AccuracyWithinInterval, double F1, double EstimatedF1, bool F1WithinInterval);

/// <summary>One feature: its significance test (KS or chi-square), p-value before and after correction, the effect size that decided its verdict (<c>effect_measure</c>: the one furthest past, or nearest to, its threshold) with that threshold, verdict, and every test run.</summary>
public sealed record FeatureView(
    string Feature,
    string Group,
    string Kind,
    string Test,
    double Statistic,
    double PValue,
    double AdjustedPValue,
    string EffectMeasure,
    double EffectSize,
    double? Threshold,
    string Verdict,
    long ReferenceCount,
    long CurrentCount,
    IReadOnlyList<TestView> Tests);

public sealed record TestView(string Test, double Statistic, double? PValue, double? AdjustedPValue, double? Threshold);

public sealed record BreachView(string Type, string Severity, string Summary, IReadOnlyList<string> Features, IReadOnlyList<string> Evidence, bool Estimated);

/// <summary>GET /alerts: firing alerts, recent ones (newest first) and the e-mail outbox.</summary>
public sealed record AlertsResponse(IReadOnlyList<AlertRecord> Active, IReadOnlyList<AlertRecord> Recent, OutboxView Email);

public sealed record OutboxView(bool Enabled, long Sent, int Pending, int Failed);

/// <summary>POST /feedback: per item, whether the label joined a prediction in the window.</summary>
public sealed record FeedbackResponse(int Accepted, int Joined, int Unknown, IReadOnlyList<FeedbackItemResult> Results);

/// <summary><c>joined</c> (in the window), <c>recorded</c> (stored; the prediction left the window), or <c>unknown_prediction</c> (not stored).</summary>
public sealed record FeedbackItemResult(string PredictionId, string Status);

/// <summary>A feedback item as parsed: the prediction id and the label's index and name.</summary>
internal sealed record FeedbackItem(string PredictionId, int Label, string LabelName);
