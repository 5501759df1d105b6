using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation;

/// <summary>
/// The estimate and its interval on simulated models whose truth is known. With 2,000 windows a
/// coverage of 95% has a standard deviation of 0.5 points, so the 90–99% band is eight of them
/// either side; an interval half as wide as it should be covers about 68%, one twice as wide 99.99%.
/// </summary>
public sealed class EstimateCoverageTests
{
    private const int Windows = 2000;
    private const int WindowSize = 200;
    private static readonly string[] BinaryLabels = ["NEGATIVE", "POSITIVE"];

    [Fact]
    public void A_calibrated_binary_models_realized_accuracy_falls_in_the_95_percent_interval_about_95_percent_of_the_time()
    {
        var random = new Random(20261201);
        var reference = SyntheticModel.Binary(4000, random);
        var estimator = Fit(BinaryLabels, reference);

        var (coverage, meanError) = Simulate(estimator, () => SyntheticModel.Binary(WindowSize, random));

        Assert.InRange(coverage, 0.90, 0.99);
        Assert.True(meanError < 0.03, $"mean absolute error of the accuracy estimate {meanError:F4}");
    }

    [Fact]
    public void A_calibrated_three_label_models_realized_accuracy_falls_in_the_interval_about_95_percent_of_the_time()
    {
        var random = new Random(20261202);
        var reference = SyntheticModel.Multiclass(4000, 3, random);
        var estimator = Fit(["A", "B", "C"], reference);
        Assert.Equal(ClassCalibrationStrategy.OneVsRest, estimator.State.Calibration.Strategy);

        var (coverage, meanError) = Simulate(estimator, () => SyntheticModel.Multiclass(WindowSize, 3, random));

        Assert.InRange(coverage, 0.90, 0.99);
        Assert.True(meanError < 0.03, $"mean absolute error of the accuracy estimate {meanError:F4}");
    }

    [Fact]
    public void An_overconfident_models_estimate_misses_without_calibration_and_covers_with_it()
    {
        static double Overconfident(double c) => 0.5 + (0.5 * Math.Pow((c - 0.5) / 0.5, 0.25));
        var random = new Random(20261203);
        var reference = SyntheticModel.Binary(4000, random, Overconfident);
        var calibrated = Fit(BinaryLabels, reference);
        var identity = PerformanceEstimator.FromState(calibrated.State with
        {
            Calibration = calibrated.State.Calibration with { Maps = [CalibrationMap.Identity] },
        });

        var (withCalibration, _) = Simulate(calibrated, () => SyntheticModel.Binary(WindowSize, random, Overconfident));
        var (withoutCalibration, biasedError) = Simulate(identity, () => SyntheticModel.Binary(WindowSize, random, Overconfident));

        Assert.InRange(withCalibration, 0.90, 0.99);
        Assert.True(withoutCalibration < 0.5, $"uncalibrated coverage {withoutCalibration:P1}");
        Assert.True(biasedError > 0.05, $"uncalibrated mean absolute error {biasedError:F4}");
    }

    private static PerformanceEstimator Fit(string[] labels, SimulatedPrediction[] reference) =>
        PerformanceEstimator.Fit(labels, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));

    /// <summary>The share of windows whose realized accuracy lies in the interval, and the mean absolute error of the estimate.</summary>
    private static (double Coverage, double MeanError) Simulate(PerformanceEstimator estimator, Func<SimulatedPrediction[]> window)
    {
        var covered = 0;
        var error = 0.0;
        for (var w = 0; w < Windows; w++)
        {
            var predictions = window();
            var check = estimator.Check(SyntheticModel.Predicted(predictions), SyntheticModel.Probabilities(predictions), SyntheticModel.Truth(predictions));
            covered += check.Accuracy.WithinInterval ? 1 : 0;
            error += Math.Abs(check.Accuracy.Error);
        }

        return ((double)covered / Windows, error / Windows);
    }
}
