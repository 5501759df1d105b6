using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class ChiSquareTests
{
    [Fact]
    public void Homogeneity_matches_scipy_chi2_contingency_without_correction() =>
        CheckAll("chi2_homogeneity", c => ChiSquare.Homogeneity(GoldenSamples.Doubles(c.GetProperty("reference")), GoldenSamples.Doubles(c.GetProperty("current"))));

    [Fact]
    public void Goodness_of_fit_matches_scipy_chisquare() =>
        CheckAll("chi2_goodness", c => ChiSquare.GoodnessOfFit(GoldenSamples.Doubles(c.GetProperty("observed")), GoldenSamples.Doubles(c.GetProperty("proportions"))));

    [Fact]
    public void A_single_category_has_statistic_zero_and_p_one()
    {
        Assert.Equal(new ChiSquareResult(0, 1, 0), ChiSquare.Homogeneity([40], [7]));
    }

    [Fact]
    public void Categories_absent_from_both_sides_are_dropped()
    {
        Assert.Equal(ChiSquare.Homogeneity([10, 20], [15, 5]), ChiSquare.Homogeneity([10, 0, 20], [15, 0, 5]));
    }

    [Fact]
    public void An_empty_side_is_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => ChiSquare.Homogeneity([0, 0], [3, 4]));
    }

    private static void CheckAll(string name, Func<System.Text.Json.JsonElement, ChiSquareResult> compute)
    {
        var failures = new List<string>();
        foreach (var c in GoldenSamples.Cases(name))
        {
            var result = compute(c);
            var statistic = c.GetProperty("statistic").GetDouble();
            var p = c.GetProperty("pvalue").GetDouble();
            if (!Tolerance.Close(statistic, result.Statistic, Tolerance.Statistic))
            {
                failures.Add(Tolerance.Report("chi2", statistic, result.Statistic));
            }

            if (!Tolerance.Close(p, result.PValue, Tolerance.PValue, Tolerance.Underflow))
            {
                failures.Add(Tolerance.Report("p", p, result.PValue));
            }

            if (c.TryGetProperty("dof", out var dof))
            {
                Assert.Equal(dof.GetInt32(), result.DegreesOfFreedom);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }
}
