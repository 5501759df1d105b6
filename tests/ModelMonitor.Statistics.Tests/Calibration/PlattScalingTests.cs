using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests.Calibration;

public sealed class PlattScalingTests
{
    /// <summary>Our Newton solution against the optimum of scikit-learn's objective (numpy Newton from sklearn's answer); measured: 2e-16.</summary>
    private const double Optimum = Tolerance.Statistic;

    /// <summary>scikit-learn's BFGS stops at a gradient norm of 1e-5; its probabilities are this close to the optimum's.</summary>
    private const double SklearnBfgs = 1e-4;

    [Fact]
    public void Slope_intercept_and_probabilities_reach_the_optimum_of_sklearns_sigmoid_calibration()
    {
        var cases = 0;
        foreach (var c in GoldenSamples.Cases("platt"))
        {
            var map = PlattScaling.Fit(GoldenSamples.Doubles(c.GetProperty("scores")), GoldenSamples.Doubles(c.GetProperty("outcomes")));
            var what = $"{c.GetProperty("kind").GetString()} n={c.GetProperty("scores").GetArrayLength()}";
            Assert.True(Tolerance.Close(c.GetProperty("a").GetDouble(), map.Slope, Optimum), Tolerance.Report(what + " A", c.GetProperty("a").GetDouble(), map.Slope));
            Assert.True(Tolerance.Close(c.GetProperty("b").GetDouble(), map.Intercept, Optimum), Tolerance.Report(what + " B", c.GetProperty("b").GetDouble(), map.Intercept));

            var queries = GoldenSamples.Doubles(c.GetProperty("queries"));
            var exact = GoldenSamples.Doubles(c.GetProperty("predictions"));
            var sklearn = GoldenSamples.Doubles(c.GetProperty("sklearn_predictions"));
            for (var i = 0; i < queries.Length; i++)
            {
                var actual = map.Apply(queries[i]);
                Assert.True(Tolerance.Close(exact[i], actual, Optimum, 1e-15), Tolerance.Report($"{what} P({queries[i]})", exact[i], actual));
                Assert.True(Math.Abs(sklearn[i] - actual) <= SklearnBfgs, Tolerance.Report($"{what} sklearn P({queries[i]})", sklearn[i], actual));
            }

            cases++;
        }

        Assert.True(cases >= 14, $"only {cases} Platt cases");
    }

    [Fact]
    public void Perfectly_separated_outcomes_still_give_finite_parameters()
    {
        var map = PlattScaling.Fit([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
        Assert.True(double.IsFinite(map.Slope) && map.Slope < 0);
        Assert.True(map.Apply(0.9) < 1 && map.Apply(0.1) > 0);
    }

    [Fact]
    public void Equal_scores_give_the_smoothed_positive_rate()
    {
        // Three positives of four: Platt's targets 4/5 and 1/3, mean (3·0.8 + 1/3) / 4.
        var map = PlattScaling.Fit([0.7, 0.7, 0.7, 0.7], [1, 1, 1, 0]);
        Assert.Equal(((3 * 0.8) + (1.0 / 3)) / 4, map.Apply(0.7), 12);
        Assert.Equal(0, map.Slope);
    }
}
