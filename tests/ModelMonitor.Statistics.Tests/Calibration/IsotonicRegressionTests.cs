using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests.Calibration;

public sealed class IsotonicRegressionTests
{
    [Fact]
    public void Breakpoints_and_clipped_predictions_match_sklearn_isotonic_regression()
    {
        var cases = 0;
        foreach (var c in GoldenSamples.Cases("isotonic"))
        {
            var map = IsotonicRegression.Fit(GoldenSamples.Doubles(c.GetProperty("scores")), GoldenSamples.Doubles(c.GetProperty("outcomes")));
            var thresholds = GoldenSamples.Doubles(c.GetProperty("thresholds"));
            var values = GoldenSamples.Doubles(c.GetProperty("values"));
            var kind = c.GetProperty("kind").GetString();
            Assert.Equal(thresholds, map.Thresholds);
            Assert.Equal(thresholds.Length, map.Values.Count);
            for (var i = 0; i < values.Length; i++)
            {
                Assert.True(Tolerance.Close(values[i], map.Values[i], Tolerance.Statistic), Tolerance.Report($"{kind} value {i}", values[i], map.Values[i]));
            }

            var queries = GoldenSamples.Doubles(c.GetProperty("queries"));
            var predictions = GoldenSamples.Doubles(c.GetProperty("predictions"));
            for (var i = 0; i < queries.Length; i++)
            {
                var actual = map.Apply(queries[i]);
                Assert.True(Tolerance.Close(predictions[i], actual, Tolerance.Statistic, 1e-15), Tolerance.Report($"{kind} n={thresholds.Length} f({queries[i]})", predictions[i], actual));
            }

            cases++;
        }

        Assert.True(cases >= 30, $"only {cases} isotonic cases");
    }

    [Fact]
    public void Scores_closer_than_1e_15_are_one_point_as_in_sklearn()
    {
        var map = IsotonicRegression.Fit([0.5, 0.5 + Math.Pow(2, -52), 0.75], [0, 1, 1]);
        Assert.Equal([0.5, 0.75], map.Thresholds);
        Assert.Equal([0.5, 1.0], map.Values);
    }

    [Fact]
    public void Violating_neighbours_are_pooled_to_their_mean_and_flat_interior_points_dropped()
    {
        var map = IsotonicRegression.Fit([0.1, 0.2, 0.3, 0.4, 0.5], [0, 1, 0, 1, 1]);
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], map.Thresholds);
        Assert.Equal([0.0, 0.5, 0.5, 1.0, 1.0], map.Values);
        Assert.Equal(0.0, map.Apply(-3));
        Assert.Equal(1.0, map.Apply(7));
        Assert.Equal(0.25, map.Apply(0.15), 15);
    }

    [Fact]
    public void Mismatched_or_non_finite_input_is_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => IsotonicRegression.Fit([0.1, 0.2], [1]));
        Assert.Throws<StatisticsInputException>(() => IsotonicRegression.Fit([double.NaN], [1]));
        Assert.Throws<StatisticsInputException>(() => IsotonicRegression.Fit([], []));
    }
}
