using MathNet.Numerics.Distributions;

namespace ModelMonitor.Statistics;

/// <summary>A confidence interval for a proportion.</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>
/// Inference on a proportion from a binomial sample (accuracy = correct / labelled): the Wilson
/// score interval, which keeps its coverage for small samples and proportions near 0 or 1 where
/// the normal approximation fails, and an exact one-sided binomial test.
/// </summary>
public static class Proportions
{
    /// <summary>The two-sided Wilson score interval at the given confidence (0.95 for 95%).</summary>
    public static Interval Wilson(long successes, long trials, double confidence)
    {
        if (trials <= 0 || successes < 0 || successes > trials)
        {
            throw new StatisticsInputException($"A proportion needs 0 <= successes <= trials and trials > 0; got {successes} of {trials}.");
        }

        if (confidence is <= 0 or >= 1)
        {
            throw new StatisticsInputException($"The confidence must lie strictly between 0 and 1; got {confidence}.");
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The exact one-sided p-value that a true proportion of at least <paramref name="nullProportion"/>
    /// gives <paramref name="successes"/> or fewer of <paramref name="trials"/>: P(X &lt;= successes).
    /// </summary>
    public static double BinomialLowerTail(long successes, long trials, double nullProportion)
    {
        if (trials <= 0 || successes < 0 || successes > trials)
        {
            throw new StatisticsInputException($"A binomial test needs 0 <= successes <= trials and trials > 0; got {successes} of {trials}.");
        }

        if (nullProportion <= 0)
        {
            return 1;
        }

        return nullProportion >= 1
            ? successes == trials ? 1 : 0
            : Math.Clamp(Binomial.CDF(nullProportion, (int)Math.Min(trials, int.MaxValue), successes), 0, 1);
    }
}
