using ModelMonitor.Statistics;

namespace ModelMonitor.Monitoring.Performance;

/// <summary>Accuracy, precision, recall and F1 (macro and weighted) over a set of labelled predictions.</summary>
public sealed record PerformanceSnapshot(
    long Labelled,
    double Accuracy,
    double PrecisionMacro,
    double RecallMacro,
    double F1Macro,
    double PrecisionWeighted,
    double RecallWeighted,
    double F1Weighted)
{
    /// <summary>Scores predictions against true labels, as scikit-learn does with zero_division=0.</summary>
    public static PerformanceSnapshot Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount)
    {
        var report = ClassificationMetrics.Compute(truth, predicted, labelCount);
        return new PerformanceSnapshot(
            report.Count,
            report.Accuracy,
            report.Macro.Precision,
            report.Macro.Recall,
            report.Macro.F1,
            report.Weighted.Precision,
            report.Weighted.Recall,
            report.Weighted.F1);
    }
}
