using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests.Calibration;

public sealed class ExpectedCalibrationErrorTests
{
    [Fact]
    public void Equal_width_and_equal_count_errors_match_the_numpy_definitions()
    {
        var checks = 0;
        foreach (var c in GoldenSamples.Cases("ece"))
        {
            var scores = GoldenSamples.Doubles(c.GetProperty("scores"));
            var outcomes = GoldenSamples.Doubles(c.GetProperty("outcomes")).Select(v => v > 0).ToArray();
            var bins = c.GetProperty("bins").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var width = GoldenSamples.Doubles(c.GetProperty("equal_width"));
            var count = GoldenSamples.Doubles(c.GetProperty("equal_count"));
            for (var b = 0; b < bins.Length; b++)
            {
                var what = $"{c.GetProperty("kind").GetString()} n={scores.Length} bins={bins[b]}";
                var actualWidth = ExpectedCalibrationError.EqualWidth(scores, outcomes, bins[b]);
                var actualCount = ExpectedCalibrationError.EqualCount(scores, outcomes, bins[b]);
                Assert.True(Tolerance.Close(width[b], actualWidth, Tolerance.Statistic, 1e-16), Tolerance.Report(what + " equal width", width[b], actualWidth));
                Assert.True(Tolerance.Close(count[b], actualCount, Tolerance.Statistic, 1e-16), Tolerance.Report(what + " equal count", count[b], actualCount));
                checks++;
            }
        }

        Assert.True(checks >= 40, $"only {checks} calibration-error checks");
    }

    [Fact]
    public void A_score_on_a_bin_edge_belongs_to_the_lower_bin()
    {
        // 0.1 sits in bin [0, 0.1] with 0.05: mean score 0.075, outcome rate 0 -> 0.075 · 2/3; 0.15 alone, right -> 0.85 · 1/3.
        var ece = ExpectedCalibrationError.EqualWidth([0.05, 0.1, 0.15], [false, false, true], 10);
        Assert.Equal((0.075 * 2 / 3) + (0.85 / 3), ece, 15);
    }

    [Fact]
    public void Scores_outside_zero_to_one_are_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => ExpectedCalibrationError.EqualWidth([1.5], [true]));
        Assert.Throws<StatisticsInputException>(() => ExpectedCalibrationError.EqualCount([0.5, 0.6, 0.7], [true, true, false]));
    }
}
