namespace ModelMonitor.Monitoring.Drift;

/// <summary>The kinds of finding an evaluation can raise. Each is its own alert key.</summary>
public static class AlertTypes
{
    /// <summary>Accuracy or F1 fell more than the allowed points below the baseline, significantly (critical).</summary>
    public const string Performance = "performance";

    /// <summary>Input features drifted (low for one, high for three or more).</summary>
    public const string InputDrift = "input_drift";

    /// <summary>The predicted-label distribution or the confidence features drifted (medium).</summary>
    public const string OutputDrift = "output_drift";

    /// <summary>The mix of true labels moved while accuracy and F1 held (low): a prior shift, not concept drift.</summary>
    public const string PriorShift = "prior_shift";

    public static IReadOnlyList<string> All { get; } = [Performance, InputDrift, OutputDrift, PriorShift];
}
