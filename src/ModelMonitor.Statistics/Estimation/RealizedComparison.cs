using System.Text.Json.Serialization;

namespace ModelMonitor.Statistics.Estimation;

/// <summary>One metric estimated and realized: the realized value, the estimate's interval, and whether the one lies in the other.</summary>
public sealed record MetricCheck(string Metric, int? Label, double Estimated, double Low, double High, double Realized)
{
    public bool WithinInterval => Realized >= Low && Realized <= High;

    /// <summary>Realized minus estimated.</summary>
    public double Error => Realized - Estimated;
}

/// <summary>Every estimated metric of a window set against the value its true labels give.</summary>
public sealed record EstimateCheck(long Count, IReadOnlyList<MetricCheck> Metrics)
{
    [JsonIgnore]
    public MetricCheck Accuracy => Find("accuracy");

    [JsonIgnore]
    public MetricCheck F1Macro => Find("f1_macro");

    public MetricCheck Find(string metric, int? label = null) =>
        Metrics.FirstOrDefault(m => m.Metric == metric && m.Label == label)
        ?? throw new KeyNotFoundException($"No check for {metric}{(label is null ? string.Empty : $" of label {label}")}.");
}

/// <summary>Checks an estimate against the realized metrics once the window's labels are in.</summary>
public static class RealizedComparison
{
    /// <summary>
    /// Computes the realized metrics with <see cref="ClassificationMetrics"/> (scikit-learn,
    /// zero_division=0) and pairs each with its estimate. The estimate must cover exactly these
    /// predictions: when only some of a window's labels have arrived, estimate that labelled part.
    /// </summary>
    public static EstimateCheck Compare(PerformanceEstimate estimate, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (truth.Length != estimate.Count)
        {
            throw new StatisticsInputException($"The estimate covers {estimate.Count} predictions but {truth.Length} true labels were given; estimate the labelled predictions to compare them.");
        }

        var realized = ClassificationMetrics.Compute(truth, predicted, estimate.PerLabel.Count);
        var checks = new List<MetricCheck>
        {
            Check("accuracy", null, estimate.Accuracy, realized.Accuracy),
            Check("precision_macro", null, estimate.Macro.Precision, realized.Macro.Precision),
            Check("recall_macro", null, estimate.Macro.Recall, realized.Macro.Recall),
            Check("f1_macro", null, estimate.Macro.F1, realized.Macro.F1),
            Check("precision_weighted", null, estimate.Weighted.Precision, realized.Weighted.Precision),
            Check("recall_weighted", null, estimate.Weighted.Recall, realized.Weighted.Recall),
            Check("f1_weighted", null, estimate.Weighted.F1, realized.Weighted.F1),
        };
        foreach (var label in estimate.PerLabel)
        {
            var scores = realized.PerClass[label.Label];
            checks.Add(Check("precision", label.Label, label.Precision, scores.Precision));
            checks.Add(Check("recall", label.Label, label.Recall, scores.Recall));
            checks.Add(Check("f1", label.Label, label.F1, scores.F1));
        }

        return new EstimateCheck(truth.Length, checks);
    }

    private static MetricCheck Check(string metric, int? label, MetricEstimate estimate, double realized) =>
        new(metric, label, estimate.Value, estimate.Low, estimate.High, realized);
}
