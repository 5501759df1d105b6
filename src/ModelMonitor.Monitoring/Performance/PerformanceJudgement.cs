namespace ModelMonitor.Monitoring.Performance;

/// <summary>
/// A performance figure judged with its sampling error: the value, its confidence interval, and the
/// one-sided p-value that the true value is at least the baseline minus the allowed drop. A drop is
/// significant when that p-value is below alpha: the window's figure lies so far below the
/// allowed level that chance alone rarely gives it.
/// </summary>
public sealed record MetricJudgement(string Metric, double Value, double Low, double High, double? Baseline, double? AllowedLevel, double? PValue, string Method)
{
    public bool Dropped(double allowedDrop) => Baseline is { } b && b - Value > allowedDrop;
}

/// <summary>Accuracy and F1 of the window, judged (see <see cref="MetricJudgement"/>), at the given confidence.</summary>
public sealed record PerformanceJudgement(MetricJudgement Accuracy, MetricJudgement F1, double Confidence);
