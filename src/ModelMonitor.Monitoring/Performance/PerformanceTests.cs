using ModelMonitor.Statistics;

namespace ModelMonitor.Monitoring.Performance;

/// <summary>
/// The sampling error of a window's accuracy and F1. Accuracy is a binomial proportion: the
/// Wilson interval and an exact one-sided binomial test. F1 has no closed form: a seeded
/// percentile bootstrap over the labelled predictions gives its interval and p-value.
/// </summary>
public static class PerformanceTests
{
    /// <summary>Bootstrap resamples for F1; seeded, so an evaluation is reproducible.</summary>
    public const int BootstrapResamples = 1000;

    private const int BootstrapSeed = 20_261_129;

    public static PerformanceJudgement Judge(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount, PerformanceSnapshot snapshot, PerformanceBaseline baseline, double allowedDrop, double alpha)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(baseline);
        var confidence = 1 - alpha;
        var wilson = Proportions.Wilson(snapshot.Correct, snapshot.Labelled, confidence);
        double? accuracyLevel = baseline.Accuracy is { } a ? Math.Max(0, a - allowedDrop) : null;
        double? accuracyP = accuracyLevel is { } level ? Proportions.BinomialLowerTail(snapshot.Correct, snapshot.Labelled, level) : null;
        var accuracy = new MetricJudgement("accuracy", snapshot.Accuracy, wilson.Low, wilson.High, baseline.Accuracy, accuracyLevel, accuracyP, "wilson interval, exact one-sided binomial test");

        double? f1Level = baseline.F1 is { } f ? Math.Max(0, f - allowedDrop) : null;
        var boot = Bootstrap(truth, predicted, labelCount);
        Array.Sort(boot);
        var low = Quantile(boot, alpha / 2);
        var high = Quantile(boot, 1 - (alpha / 2));
        double? f1P = f1Level is { } fl ? (1.0 + boot.Count(v => v >= fl)) / (boot.Length + 1) : null;
        var f1 = new MetricJudgement("f1_present", snapshot.F1Present, low, high, baseline.F1, f1Level, f1P, "percentile bootstrap, " + BootstrapResamples.ToString(System.Globalization.CultureInfo.InvariantCulture) + " resamples");
        return new PerformanceJudgement(accuracy, f1, confidence);
    }

    private static double[] Bootstrap(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount)
    {
        var random = new Random(BootstrapSeed);
        var n = truth.Length;
        var t = new int[n];
        var p = new int[n];
        var values = new double[BootstrapResamples];
        for (var b = 0; b < values.Length; b++)
        {
            for (var i = 0; i < n; i++)
            {
                var j = random.Next(n);
                t[i] = truth[j];
                p[i] = predicted[j];
            }

            values[b] = PerformanceSnapshot.PresentF1(t, p, labelCount);
        }

        return values;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
