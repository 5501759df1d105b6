using MathNet.Numerics;

namespace ModelMonitor.Statistics;

public readonly record struct ChiSquareResult(double Statistic, double PValue, int DegreesOfFreedom);

/// <summary>Pearson chi-square tests, as SciPy computes them.</summary>
public static class ChiSquare
{
    /// <summary>
    /// Test of homogeneity on a 2×k table (reference counts against current counts), as
    /// <c>scipy.stats.chi2_contingency(correction=False)</c>. Categories with no count on either
    /// side are dropped; a category seen on one side only stays. One category left: statistic 0, p 1.
    /// </summary>
    public static ChiSquareResult Homogeneity(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts)
    {
        if (referenceCounts.Length != currentCounts.Length)
        {
            throw new StatisticsInputException("Chi-square needs aligned category counts.");
        }

        var columns = new List<(double Reference, double Current)>();
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            if (referenceCounts[i] < 0 || currentCounts[i] < 0 || !double.IsFinite(referenceCounts[i]) || !double.IsFinite(currentCounts[i]))
            {
                throw new StatisticsInputException("Category counts must be finite and non-negative.");
            }

            if (referenceCounts[i] + currentCounts[i] > 0)
            {
                columns.Add((referenceCounts[i], currentCounts[i]));
            }
        }

        var referenceTotal = columns.Sum(c => c.Reference);
        var currentTotal = columns.Sum(c => c.Current);
        if (referenceTotal == 0 || currentTotal == 0)
        {
            throw new StatisticsInputException("Chi-square needs non-empty reference and current samples.");
        }

        var degrees = columns.Count - 1;
        if (degrees == 0)
        {
            return new ChiSquareResult(0.0, 1.0, 0);
        }

        var total = referenceTotal + currentTotal;
        var terms = new double[2 * columns.Count];
        for (var j = 0; j < columns.Count; j++)
        {
            var columnTotal = columns[j].Reference + columns[j].Current;
            terms[j] = Term(columns[j].Reference, referenceTotal * columnTotal / total);
            terms[columns.Count + j] = Term(columns[j].Current, currentTotal * columnTotal / total);
        }

        var statistic = NumpySum.Sum(terms);
        return new ChiSquareResult(statistic, Survival(statistic, degrees), degrees);
    }

    /// <summary>Goodness of fit of observed counts to expected proportions, as <c>scipy.stats.chisquare</c>.</summary>
    public static ChiSquareResult GoodnessOfFit(ReadOnlySpan<double> observed, ReadOnlySpan<double> expectedProportions)
    {
        if (observed.Length != expectedProportions.Length || observed.Length < 2)
        {
            throw new StatisticsInputException("Goodness of fit needs at least two categories with one proportion each.");
        }

        var proportionTotal = NumpySum.Sum(expectedProportions);
        if (!(proportionTotal > 0))
        {
            throw new StatisticsInputException("Expected proportions must sum to a positive number.");
        }

        var count = NumpySum.Sum(observed);
        var terms = new double[observed.Length];
        for (var i = 0; i < observed.Length; i++)
        {
            terms[i] = Term(observed[i], expectedProportions[i] / proportionTotal * count);
        }

        var statistic = NumpySum.Sum(terms);
        var degrees = observed.Length - 1;
        return new ChiSquareResult(statistic, Survival(statistic, degrees), degrees);
    }

    /// <summary>P(χ²_k ≥ x): the regularised upper incomplete gamma Q(k/2, x/2).</summary>
    public static double Survival(double statistic, int degrees)
    {
        if (double.IsPositiveInfinity(statistic))
        {
            return 0.0;
        }

        return statistic <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(degrees / 2.0, statistic / 2.0);
    }

    /// <summary>(o − e)² / e; an expected count of zero with an observation is infinitely surprising.</summary>
    private static double Term(double observed, double expected)
    {
        var difference = observed - expected;
        return expected > 0 ? difference * difference / expected : observed > 0 ? double.PositiveInfinity : 0;
    }
}
