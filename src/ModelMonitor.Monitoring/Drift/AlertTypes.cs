namespace ModelMonitor.Monitoring.Drift;

/// <summary>The kinds of finding an evaluation can raise. Each is its own alert key.</summary>
public static class AlertTypes
{
    /// <summary>Accuracy or F1 fell more than the allowed points below the baseline (critical).</summary>
    public const string Performance = "performance";

    /// <summary>Input features drifted (low for one, high for three or more).</summary>
    public const string InputDrift = "input_drift";

    /// <summary>The predicted-label distribution or the confidence features drifted (medium).</summary>
    public const string OutputDrift = "output_drift";

    public static IReadOnlyList<string> All { get; } = [Performance, InputDrift, OutputDrift];
}
