using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.EstimationCheck;

/// <summary>Mean absolute error, interval coverage and mean interval width of one metric over many windows.</summary>
internal sealed record WindowSummary(string Metric, int Windows, double MeanAbsoluteError, double Coverage, double MeanWidth);

/// <summary>Random windows drawn (without replacement inside a window) from a labelled set, each estimated and checked.</summary>
internal static class WindowStudy
{
    public static IReadOnlyList<WindowSummary> Run(PerformanceEstimator estimator, LabelledSet set, int windows, int size, int seed)
    {
        var random = new Random(seed);
        var checks = new List<EstimateCheck>(windows);
        var positions = Enumerable.Range(0, set.Count).ToArray();
        for (var w = 0; w < windows; w++)
        {
            random.Shuffle(positions);
            var window = set.Take(positions[..size]);
            checks.Add(estimator.Check(window.Predicted, window.Probabilities, window.Truth));
        }

        return [Summarize("accuracy", checks.Select(c => c.Accuracy)), Summarize("f1_macro", checks.Select(c => c.F1Macro))];
    }

    private static WindowSummary Summarize(string metric, IEnumerable<MetricCheck> checks)
    {
        var all = checks.ToArray();
        return new WindowSummary(
            metric,
            all.Length,
            all.Average(c => Math.Abs(c.Error)),
            all.Average(c => c.WithinInterval ? 1.0 : 0.0),
            all.Average(c => c.High - c.Low));
    }
}
