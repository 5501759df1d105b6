using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Statistics.Tests.Calibration;

public sealed class ClassProbabilityCalibrationTests
{
    private static readonly CalibrationMap Halve = new() { Method = CalibrationMethod.Isotonic, Thresholds = [0, 1], Values = [0, 0.5] };

    [Fact]
    public void Winning_label_calibration_gives_the_winner_its_calibrated_probability_and_shares_the_rest()
    {
        var calibration = new ClassProbabilityCalibration { Strategy = ClassCalibrationStrategy.WinningLabel, LabelCount = 3, Maps = [Halve] };
        var calibrated = calibration.Calibrate([0.8, 0.15, 0.05], 0);
        Assert.Equal(0.4, calibrated[0], 15);
        Assert.Equal(0.6 * 0.75, calibrated[1], 15);
        Assert.Equal(0.6 * 0.25, calibrated[2], 15);
    }

    [Fact]
    public void One_vs_rest_calibration_normalizes_and_falls_back_to_uniform_when_everything_maps_to_zero()
    {
        var zero = new CalibrationMap { Method = CalibrationMethod.Isotonic, Thresholds = [0, 1], Values = [0, 0] };
        var calibration = new ClassProbabilityCalibration { Strategy = ClassCalibrationStrategy.OneVsRest, LabelCount = 2, Maps = [Halve, CalibrationMap.Identity] };
        var calibrated = calibration.Calibrate([0.6, 0.4], 0);
        Assert.Equal(0.3 / 0.7, calibrated[0], 15);
        Assert.Equal(0.4 / 0.7, calibrated[1], 15);

        var dead = calibration with { Maps = [zero, zero] };
        Assert.Equal([0.5, 0.5], dead.Calibrate([0.6, 0.4], 0));
    }

    [Fact]
    public void For_two_labels_one_vs_rest_isotonic_maps_mirror_each_other_as_nannymls_single_binary_map()
    {
        var random = new Random(9);
        var probabilities = new IReadOnlyList<double>[600];
        var predicted = new int[600];
        var truth = new int[600];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p1 = Math.Round(random.NextDouble(), 3);
            probabilities[i] = [1 - p1, p1];
            predicted[i] = p1 > 0.5 ? 1 : 0;
            truth[i] = random.NextDouble() < p1 * p1 ? 1 : 0;
        }

        var options = new CalibrationOptions { Method = CalibrationChoice.Isotonic, RequireImprovement = false };
        var fit = ClassCalibrationFitter.Fit(probabilities, predicted, truth, ClassCalibrationStrategy.OneVsRest, options);
        var binary = CalibrationFitter.FitMethod(CalibrationMethod.Isotonic, probabilities.Select(p => p[1]).ToArray(), truth.Select(t => t == 1).ToArray());
        for (var i = 0; i < probabilities.Length; i++)
        {
            Assert.Equal(binary.Apply(probabilities[i][1]), fit.Calibration.Calibrate(probabilities[i], predicted[i])[1], 12);
        }
    }

    [Fact]
    public void The_default_strategy_is_winning_label_for_two_labels_and_one_vs_rest_above()
    {
        Assert.Equal(ClassCalibrationStrategy.WinningLabel, ClassCalibrationFitter.DefaultStrategy(2));
        Assert.Equal(ClassCalibrationStrategy.OneVsRest, ClassCalibrationFitter.DefaultStrategy(3));
    }

    [Fact]
    public void Vectors_of_the_wrong_length_or_outside_zero_to_one_are_rejected()
    {
        var calibration = new ClassProbabilityCalibration { Strategy = ClassCalibrationStrategy.WinningLabel, LabelCount = 2, Maps = [Halve] };
        Assert.Throws<StatisticsInputException>(() => calibration.Calibrate([0.2, 0.3, 0.5], 0));
        Assert.Throws<StatisticsInputException>(() => calibration.Calibrate([0.5, 0.5], 2));
        Assert.Throws<StatisticsInputException>(() => ClassCalibrationFitter.Fit([[1.2, -0.2]], [0], [0]));
        Assert.Throws<StatisticsInputException>(() => ClassCalibrationFitter.Fit([[0.5, 0.5]], [0], [3]));
    }
}
