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
    /// <summary>Correctly predicted labelled predictions.</summary>
    public long Correct { get; init; }

    /// <summary>
    /// Macro F1 over the classes that occur among the true labels only: a class absent from the
    /// window has no recall to measure, and sklearn's zero for it would decide the average.
    /// This is the F1 the monitor judges.
    /// </summary>
    public double F1Present { get; init; }

    /// <summary>How many true labels of each class (by index).</summary>
    public IReadOnlyList<long> TruthCounts { get; init; } = [];

    /// <summary>Scores predictions against true labels, as scikit-learn does with zero_division=0.</summary>
    public static PerformanceSnapshot Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount)
    {
        var report = ClassificationMetrics.Compute(truth, predicted, labelCount);
        var present = report.PerClass.Where(c => c.Support > 0).ToArray();
        return new PerformanceSnapshot(
            report.Count,
            report.Accuracy,
            report.Macro.Precision,
            report.Macro.Recall,
            report.Macro.F1,
            report.Weighted.Precision,
            report.Weighted.Recall,
            report.Weighted.F1)
        {
            Correct = (long)Math.Round(report.Accuracy * report.Count),
            F1Present = present.Length == 0 ? 0 : present.Average(c => c.F1),
            TruthCounts = [.. report.PerClass.OrderBy(c => c.Label).Select(c => c.Support)],
        };
    }

    /// <summary>Macro F1 over the classes present in <paramref name="truth"/> (see <see cref="F1Present"/>).</summary>
    public static double PresentF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount) =>
        ClassificationMetrics.Compute(truth, predicted, labelCount).PerClass.Where(c => c.Support > 0).Select(c => c.F1).DefaultIfEmpty(0).Average();
}
