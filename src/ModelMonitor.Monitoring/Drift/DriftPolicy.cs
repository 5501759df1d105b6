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

    /// <summary>High when at least this many input features drift.</summary>
    public int HighInputFeatures { get; init; } = 3;

    /// <summary>Low when at least this many (and fewer than <see cref="HighInputFeatures"/>) input features drift.</summary>
    public int LowInputFeatures { get; init; } = 1;

    /// <summary>The severity of a prior shift: the label mix moved, the model is still right.</summary>
    public Severity PriorShiftSeverity { get; init; } = Severity.Low;

    /// <summary>Medium when at least this many output features drift.</summary>
    public int MediumOutputFeatures { get; init; } = 1;
}
