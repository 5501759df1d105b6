using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>When a window is judged at all, when a feature drifts, and how findings are graded.</summary>
public sealed record DriftPolicy
{
    /// <summary>Significance, correction and effect-size thresholds for each feature.</summary>
    public DriftThresholds Thresholds { get; init; } = new();

    /// <summary>Below this many predictions in the window, an evaluation is skipped.</summary>
    public int MinWindowSize { get; init; } = 100;

    /// <summary>Below this many labelled predictions in the window, performance is not judged.</summary>
    public int MinLabelled { get; init; } = 30;

    /// <summary>Critical when accuracy or macro F1 falls more than this many points (hundredths) below the baseline.</summary>
    public double CriticalPerformanceDropPoints { get; init; } = 5;

    /// <summary>Input drift is high when at least this many independent signal groups drift (input groups, plus output groups once an input group drifted).</summary>
    public int HighInputGroups { get; init; } = 4;

    /// <summary>Medium when at least this many (and fewer than <see cref="HighInputGroups"/>) signal groups drift.</summary>
    public int MediumInputGroups { get; init; } = 2;

    /// <summary>Low when at least this many (and fewer than <see cref="MediumInputGroups"/>) input signal groups drift.</summary>
    public int LowInputGroups { get; init; } = 1;

    /// <summary>Numeric features correlated at least this strongly on the reference are one signal group.</summary>
    public double GroupCorrelation { get; init; } = SignalGrouping.DefaultCorrelation;

    /// <summary>The severity of a prior shift: the label mix moved, the model is still right.</summary>
    public Severity PriorShiftSeverity { get; init; } = Severity.Low;

    /// <summary>Output drift is medium when at least this many output signal groups drift.</summary>
    public int MediumOutputGroups { get; init; } = 1;
}
