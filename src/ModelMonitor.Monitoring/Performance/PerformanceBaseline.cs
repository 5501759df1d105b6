namespace ModelMonitor.Monitoring.Performance;

/// <summary>
/// What performance is compared with: accuracy and macro F1, and where they came from
/// (<c>reference</c>: the model scored on the labelled reference; <c>configured</c>; or <c>none</c>).
/// </summary>
public sealed record PerformanceBaseline(double? Accuracy, double? F1, string Source)
{
    public static PerformanceBaseline None { get; } = new(null, null, "none");
}
