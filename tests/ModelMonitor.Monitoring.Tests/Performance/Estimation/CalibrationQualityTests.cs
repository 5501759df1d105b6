using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation;

public sealed class CalibrationQualityTests
{
    private static readonly string[] Labels = ["NEGATIVE", "POSITIVE"];

    private static double Overconfident(double c) => 0.5 + (0.5 * Math.Pow((c - 0.5) / 0.5, 0.25));

    [Theory]
    [InlineData(400, "platt")]
    [InlineData(3000, "isotonic")]
    public void An_overconfident_models_calibration_error_drops_on_predictions_it_was_not_fitted_on(int fitted, string method)
    {
        var random = new Random(fitted);
        var reference = SyntheticModel.Binary(fitted, random, Overconfident);
        var estimator = PerformanceEstimator.Fit(Labels, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));
        Assert.Equal(method, estimator.State.Quality.Maps[0].Method);

        var heldOut = SyntheticModel.Binary(5000, random, Overconfident);
        var raw = heldOut.Select(p => p.Probabilities[p.Predicted]).ToArray();
        var calibrated = heldOut.Select(p => estimator.Calibrate(p.Probabilities, p.Predicted)[p.Predicted]).ToArray();
        var right = heldOut.Select(p => p.Predicted == p.Truth).ToArray();
        var before = ExpectedCalibrationError.EqualWidth(raw, right);
        var after = ExpectedCalibrationError.EqualWidth(calibrated, right);

        Assert.True(before > 0.08, $"raw ECE {before:F4}");
        // A sigmoid cannot undo this distortion exactly, so Platt's error stays a little above isotonic's.
        Assert.True(after < before / 3 && after < 0.04, $"calibrated ECE {after:F4} (raw {before:F4})");
        Assert.True(estimator.State.Quality.EceAfter < estimator.State.Quality.EceBefore / 3, $"{estimator.State.Quality}");
    }
}
