using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Options;

/// <summary>Where the baseline for accuracy and F1 comes from.</summary>
public enum BaselineSource
{
    /// <summary>
    /// The first that is there: the configured values (they always win), the labelled baseline
    /// set (<see cref="DriftOptions.BaselinePath"/>), the labelled reference's own scores.
    /// </summary>
    Auto,

    /// <summary>Always the reference's own scores.</summary>
    Reference,

    /// <summary>Always <see cref="DriftOptions.BaselineAccuracy"/> and <see cref="DriftOptions.BaselineF1"/>.</summary>
    Configured,

    /// <summary>Always the model's scores on <see cref="DriftOptions.BaselinePath"/>.</summary>
    BaselineSet,
}

/// <summary>What the score features (confidence, margin, entropy) are compared with when the reference is a file or posted texts.</summary>
public enum ScoreReference
{
    /// <summary>
    /// The first <see cref="DriftOptions.LiveReferenceSize"/> live predictions after the reference is
    /// ready. A model is more sure of texts it was trained on, so scores on a training-set
    /// reference would flag every unseen text as drift.
    /// </summary>
    Live,

    /// <summary>The reference texts' own scores: for a reference the model never saw (held-out data).</summary>
    Reference,
}

/// <summary>The drift monitor (section <c>Drift</c>): reference, window, evaluation and thresholds.</summary>
public sealed class DriftOptions
{
    public const string Section = "Drift";

    public bool Enabled { get; set; } = true;

    /// <summary>A TSV or JSON Lines file of reference texts with optional labels. Empty: the first <see cref="LiveReferenceSize"/> live predictions.</summary>
    public string? ReferencePath { get; set; }

    /// <summary>The TSV column or JSON field holding the text (TSV default: <c>text</c> or <c>sentence</c>; JSON default: <c>text</c>).</summary>
    public string? ReferenceTextColumn { get; set; }

    public string ReferenceLabelColumn { get; set; } = "label";

    /// <summary>Phrase banks (most rows are sub-phrases of other rows, as in SST-2 train) keep only their maximal rows.</summary>
    public SubphraseHandling ReferenceSubphrases { get; set; } = SubphraseHandling.Auto;

    /// <summary>Most reference texts scored; a larger file is sampled (seeded, so the same each time).</summary>
    public int ReferenceMaxTexts { get; set; } = 20_000;

    public int ReferenceSeed { get; set; } = 42;

    /// <summary>With no reference file, this many first live predictions become the reference; with one, the score reference (<see cref="ScoreReference"/>).</summary>
    public int LiveReferenceSize { get; set; } = 500;

    public ScoreReference ScoreReference { get; set; } = ScoreReference.Live;

    /// <summary>The current window holds at most this many latest predictions.</summary>
    public int WindowSize { get; set; } = 1000;

    /// <summary>And, when positive, only predictions from the last this many seconds.</summary>
    public int WindowSeconds { get; set; }

    public int MinWindowSize { get; set; } = PolicyDefaults.MinWindowSize;

    public int MinLabelled { get; set; } = PolicyDefaults.MinLabelled;

    public int EvaluationIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Changes (served predictions, feedback, admin requests) waiting for the monitor's single writer.
    /// When full, /predict waits for room rather than drop a prediction from the window; an
    /// evaluation of a very large window is the only thing that holds the writer for long.
    /// </summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// After applying what was queued, the monitor's writer waits up to this many milliseconds
    /// before it looks again, so served predictions from many requests join the window in one
    /// wake-up (0: each as it comes). Feedback, reads and admin requests end the wait at once.
    /// </summary>
    public int GatherObservationsMs { get; set; } = 5;

    /// <summary>Also evaluate after this many new predictions (0: only on the interval).</summary>
    public int EvaluateEveryPredictions { get; set; } = 200;

    /// <summary>Background evaluations start at least this many seconds apart (0: no spacing), however fast predictions arrive.</summary>
    public double MinEvaluationSeconds { get; set; } = 1;

    public double Alpha { get; set; } = PolicyDefaults.Thresholds.Alpha;

    public Correction Correction { get; set; } = PolicyDefaults.Thresholds.Correction;

    public double PsiWarning { get; set; } = PolicyDefaults.Thresholds.PsiWarning;

    public double PsiDrift { get; set; } = PolicyDefaults.Thresholds.PsiDrift;

    public double NormedWasserstein { get; set; } = PolicyDefaults.Thresholds.NormedWasserstein;

    public double JensenShannon { get; set; } = PolicyDefaults.Thresholds.JensenShannon;

    public int Bins { get; set; } = PolicyDefaults.Thresholds.Bins;

    public double CriticalPerformanceDropPoints { get; set; } = PolicyDefaults.CriticalPerformanceDropPoints;

    /// <summary>Input drift is high when this many independent input signal groups drift (docs/drift.md, "Signal groups").</summary>
    public int HighInputGroups { get; set; } = PolicyDefaults.HighInputGroups;

    /// <summary>Medium when this many input signal groups drift.</summary>
    public int MediumInputGroups { get; set; } = PolicyDefaults.MediumInputGroups;

    /// <summary>Low when this many input signal groups drift.</summary>
    public int LowInputGroups { get; set; } = PolicyDefaults.LowInputGroups;

    /// <summary>Output drift (medium) when this many output signal groups drift.</summary>
    public int MediumOutputGroups { get; set; } = PolicyDefaults.MediumOutputGroups;

    /// <summary>Numeric features with |Spearman| or |Pearson| at least this on the reference are one signal group.</summary>
    public double GroupCorrelation { get; set; } = PolicyDefaults.GroupCorrelation;

    /// <summary>Estimate accuracy and F1 before labels arrive (CBPE), from the labelled baseline set or the labelled reference.</summary>
    public bool EstimatePerformance { get; set; } = true;

    /// <summary>How the winning label's probability is calibrated: <c>Auto</c> (Platt below <see cref="IsotonicMinimumSamples"/> labelled texts, isotonic from there), <c>Isotonic</c>, <c>Platt</c> or <c>Identity</c>.</summary>
    public CalibrationChoice CalibrationMethod { get; set; } = EstimationDefaults.Calibration.Method;

    /// <summary>In <c>Auto</c>, the labelled texts from which isotonic regression is used instead of Platt scaling.</summary>
    public int IsotonicMinimumSamples { get; set; } = EstimationDefaults.Calibration.IsotonicMinimumSamples;

    /// <summary>The confidence of the estimates' intervals (0.95: ±1.96 standard errors).</summary>
    public double EstimateConfidence { get; set; } = EstimationDefaults.Confidence;

    /// <summary>Fewer labelled texts than this: no estimator (its sampling error would mean little).</summary>
    public int MinCalibrationLabels { get; set; } = 100;

    /// <summary>A warning when the calibration set's accuracy exceeds the configured baseline by more than this many points: it looks like training data.</summary>
    public double TrainingDataGapPoints { get; set; } = 5;

    public EstimationOptions ToEstimationOptions() => new()
    {
        Calibration = EstimationDefaults.Calibration with { Method = CalibrationMethod, IsotonicMinimumSamples = IsotonicMinimumSamples },
        Confidence = EstimateConfidence,
    };

    private static readonly EstimationOptions EstimationDefaults = EstimationOptions.Default;

    /// <summary>The one source of the judging and grading defaults: <see cref="DriftPolicy"/> and its <see cref="DriftThresholds"/>.</summary>
    private static readonly DriftPolicy PolicyDefaults = new();

    /// <summary>After every evaluation the monitoring report (as GET /report) is written here, atomically. Empty: not written.</summary>
    public string? ReportPath { get; set; } = "data/monitoring-report.json";

    public BaselineSource BaselineSource { get; set; } = BaselineSource.Auto;

    /// <summary>The accuracy performance is compared with. When set (or <see cref="BaselineF1"/> is), it wins over every other source.</summary>
    public double? BaselineAccuracy { get; set; }

    /// <summary>The F1 (macro, over the classes present) performance is compared with.</summary>
    public double? BaselineF1 { get; set; }

    /// <summary>
    /// A labelled TSV or JSON Lines file, read like the reference (same text and label columns), held
    /// out from training: the model is scored on it at startup and its accuracy and macro F1 are the
    /// baseline, unless one is configured. Empty: none.
    /// </summary>
    public string? BaselinePath { get; set; }

    public DriftPolicy ToPolicy() => new()
    {
        Thresholds = new DriftThresholds
        {
            Alpha = Alpha,
            Correction = Correction,
            PsiWarning = PsiWarning,
            PsiDrift = PsiDrift,
            NormedWasserstein = NormedWasserstein,
            JensenShannon = JensenShannon,
            Bins = Bins,
        },
        MinWindowSize = MinWindowSize,
        MinLabelled = MinLabelled,
        CriticalPerformanceDropPoints = CriticalPerformanceDropPoints,
        HighInputGroups = HighInputGroups,
        MediumInputGroups = MediumInputGroups,
        LowInputGroups = LowInputGroups,
        MediumOutputGroups = MediumOutputGroups,
        GroupCorrelation = GroupCorrelation,
    };
}
