using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Statistics.Tests.Calibration;

public sealed class CalibrationFitterTests
{
    /// <summary>Seeded scores s in [0.5, 1], right with probability 0.5 + slope · (s − 0.5): slope 1 is calibrated, below 1 overconfident.</summary>
    private static (double[] Scores, bool[] Right) Sample(int n, int seed, double slope)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var right = new bool[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = 0.5 + (0.5 * random.NextDouble());
            right[i] = random.NextDouble() < 0.5 + (slope * (scores[i] - 0.5));
        }

        return (scores, right);
    }

    [Theory]
    [InlineData(999, CalibrationMethod.Platt)]
    [InlineData(1000, CalibrationMethod.Isotonic)]
    public void Platt_below_the_isotonic_threshold_and_isotonic_from_it(int n, CalibrationMethod expected)
    {
        var (scores, right) = Sample(n, n, 0.5);
        var fit = CalibrationFitter.Fit(scores, right);
        Assert.Equal(expected, fit.Map.Method);
        Assert.Equal(n, fit.Map.SampleCount);
        Assert.True(fit.HeldOutEceAfter < fit.HeldOutEceBefore);
        Assert.True(fit.EceAfter < fit.EceBefore);
    }

    [Fact]
    public void The_threshold_and_the_method_are_configurable()
    {
        var (scores, right) = Sample(300, 1, 0.5);
        Assert.Equal(CalibrationMethod.Isotonic, CalibrationFitter.Fit(scores, right, new CalibrationOptions { IsotonicMinimumSamples = 300 }).Map.Method);
        Assert.Equal(CalibrationMethod.Isotonic, CalibrationFitter.Fit(scores, right, new CalibrationOptions { Method = CalibrationChoice.Isotonic }).Map.Method);
        var (many, manyRight) = Sample(3000, 2, 0.5);
        Assert.Equal(CalibrationMethod.Platt, CalibrationFitter.Fit(many, manyRight, new CalibrationOptions { Method = CalibrationChoice.Platt }).Map.Method);
    }

    [Fact]
    public void Scores_are_kept_when_every_outcome_is_the_same_or_the_scores_already_separate_them()
    {
        var allRight = CalibrationFitter.Fit([0.6, 0.7, 0.9], [true, true, true]);
        Assert.Equal(CalibrationMethod.Identity, allRight.Map.Method);
        Assert.Contains("every outcome is the same", allRight.Reason, StringComparison.Ordinal);

        var separated = CalibrationFitter.Fit([0.55, 0.6, 0.9, 0.95], [false, false, true, true]);
        Assert.Equal(CalibrationMethod.Identity, separated.Map.Method);
        Assert.Contains("ROC AUC", separated.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scores_are_kept_when_calibration_does_not_lower_the_held_out_brier_score()
    {
        // A tiny, already calibrated set forced through isotonic regression: the 0/1 steps it learns
        // on nine tenths do not carry over to the tenth held out.
        var (scores, right) = Sample(SmallN, SmallSeed, 1);
        var fit = CalibrationFitter.Fit(scores, right, new CalibrationOptions { Method = CalibrationChoice.Isotonic });
        Assert.Equal(CalibrationMethod.Identity, fit.Map.Method);
        Assert.True(fit.HeldOutBrierAfter >= fit.HeldOutBrierBefore, $"{fit.HeldOutBrierAfter} vs {fit.HeldOutBrierBefore}");
        Assert.NotNull(fit.HeldOutEceBefore);

        var unchecked_ = CalibrationFitter.Fit(scores, right, new CalibrationOptions { Method = CalibrationChoice.Isotonic, RequireImprovement = false });
        Assert.Equal(CalibrationMethod.Isotonic, unchecked_.Map.Method);
        Assert.Null(unchecked_.HeldOutEceBefore);
    }

    private const int SmallN = 24;
    private const int SmallSeed = 5;

    [Fact]
    public void A_helpful_map_is_kept_when_it_lowers_the_held_out_brier_score()
    {
        // Over-confident scores (right far less often than they say): Platt scaling helps on every split.
        var (scores, right) = Sample(436, 7, 0.2);
        var fit = CalibrationFitter.Fit(scores, right);
        Assert.Equal(CalibrationMethod.Platt, fit.Map.Method);
        Assert.True(fit.HeldOutBrierAfter < fit.HeldOutBrierBefore, $"{fit.HeldOutBrierAfter} vs {fit.HeldOutBrierBefore}");
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => new CalibrationOptions { IsotonicMinimumSamples = 0 }.Validate());
        Assert.Throws<StatisticsInputException>(() => new CalibrationOptions { EceBins = 0 }.Validate());
        Assert.Throws<StatisticsInputException>(() => new CalibrationOptions { ValidationFraction = 1 }.Validate());
        Assert.Throws<StatisticsInputException>(() => new CalibrationOptions { ValidationSplits = 0 }.Validate());
    }
}
