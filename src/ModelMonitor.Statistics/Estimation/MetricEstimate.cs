namespace ModelMonitor.Statistics.Estimation;

/// <summary>
/// An estimated metric with its sampling error: the standard error for the window's size and the
/// interval value ± z·error (z for the estimate's confidence), clipped to [0, 1]. An infinite
/// standard error (nothing in the reference to measure it on) gives the interval [0, 1].
/// </summary>
public sealed record MetricEstimate(double Value, double StandardError, double Low, double High)
{
    /// <summary>Whether <paramref name="value"/> lies in [Low, High].</summary>
    public bool Contains(double value) => value >= Low && value <= High;

    internal static MetricEstimate Create(double value, double standardError, double z)
    {
        var half = z * standardError;
        return new MetricEstimate(value, standardError, Math.Max(0, value - half), Math.Min(1, value + half));
    }
}

/// <summary>One label's estimated precision, recall and F1, and its expected count among the true labels.</summary>
public sealed record LabelEstimate(int Label, MetricEstimate Precision, MetricEstimate Recall, MetricEstimate F1, double ExpectedSupport);

/// <summary>An average (macro or weighted) of the per-label estimates.</summary>
public sealed record AveragedEstimate(MetricEstimate Precision, MetricEstimate Recall, MetricEstimate F1);

/// <summary>
/// What CBPE estimates for a window of unlabelled predictions: the expected confusion matrix
/// (rows true label, columns predicted label, in expected counts), accuracy, each label's precision,
/// recall and F1, and their macro and weighted (by expected support) means, each with its interval.
/// </summary>
public sealed record PerformanceEstimate(
    long Count,
    double Confidence,
    MetricEstimate Accuracy,
    IReadOnlyList<LabelEstimate> PerLabel,
    AveragedEstimate Macro,
    AveragedEstimate Weighted,
    IReadOnlyList<IReadOnlyList<double>> ExpectedConfusion);
