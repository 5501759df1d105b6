namespace ModelMonitor.Monitoring.Performance;

/// <summary>
/// What performance is compared with: accuracy and macro F1, and where they came from
/// (<see cref="Configured"/>, <see cref="BaselineSet"/>, <see cref="FromReference"/> or <c>none</c>).
/// </summary>
public sealed record PerformanceBaseline(double? Accuracy, double? F1, string Source)
{
    /// <summary>Drift:BaselineAccuracy / Drift:BaselineF1: always wins when set.</summary>
    public const string Configured = "configured";

    /// <summary>The model scored on a separate labelled set (Drift:BaselinePath).</summary>
    public const string BaselineSet = "baseline_set";

    /// <summary>The model scored on the labelled reference itself.</summary>
    public const string FromReference = "reference";

    public static PerformanceBaseline None { get; } = new(null, null, "none");

    /// <summary>Why this baseline may mislead, when it might; null otherwise.</summary>
    public string? Note { get; init; }
}
