using System.Text.Json;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation;

public sealed class PerformanceEstimatorStateTests
{
    [Theory]
    [InlineData(300, 2)]
    [InlineData(2500, 2)]
    [InlineData(1500, 3)]
    public void Saved_state_read_back_estimates_exactly_as_the_fitted_estimator(int count, int labels)
    {
        var random = new Random(count + labels);
        var reference = labels == 2 ? SyntheticModel.Binary(count, random, c => Math.Min(1, c + 0.05)) : SyntheticModel.Multiclass(count, labels, random);
        var names = Enumerable.Range(0, labels).Select(i => $"L{i}").ToArray();
        var fitted = PerformanceEstimator.Fit(names, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));

        var json = JsonSerializer.Serialize(fitted.State, EstimationJsonContext.Default.PerformanceEstimatorState);
        var restored = PerformanceEstimator.FromState(JsonSerializer.Deserialize(json, EstimationJsonContext.Default.PerformanceEstimatorState)!);

        Assert.Equal(json, JsonSerializer.Serialize(restored.State, EstimationJsonContext.Default.PerformanceEstimatorState));
        var window = labels == 2 ? SyntheticModel.Binary(150, random) : SyntheticModel.Multiclass(150, labels, random);
        var before = fitted.Estimate(SyntheticModel.Predicted(window), SyntheticModel.Probabilities(window));
        var after = restored.Estimate(SyntheticModel.Predicted(window), SyntheticModel.Probabilities(window));
        Assert.Equal(
            JsonSerializer.Serialize(before, EstimationJsonContext.Default.PerformanceEstimate),
            JsonSerializer.Serialize(after, EstimationJsonContext.Default.PerformanceEstimate));
    }

    [Fact]
    public void The_saved_state_names_the_method_and_its_parameters_in_snake_case()
    {
        var random = new Random(3);
        var reference = SyntheticModel.Binary(400, random, c => Math.Min(1, c + 0.1));
        var fitted = PerformanceEstimator.Fit(["NEGATIVE", "POSITIVE"], SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));
        var json = JsonSerializer.Serialize(fitted.State, EstimationJsonContext.Default.PerformanceEstimatorState);

        Assert.Contains("\"strategy\":\"WinningLabel\"", json, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"Platt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"slope\":", json, StringComparison.Ordinal);
        Assert.Contains("\"accuracy_std\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_state_is_rejected_instead_of_estimating_nonsense()
    {
        var random = new Random(4);
        var reference = SyntheticModel.Binary(2000, random, c => Math.Min(1, c + 0.1));
        var state = PerformanceEstimator.Fit(["NEGATIVE", "POSITIVE"], SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference)).State;
        var isotonic = state.Calibration.Maps[0];
        Assert.Equal(CalibrationMethod.Isotonic, isotonic.Method);

        var unsorted = state with { Calibration = state.Calibration with { Maps = [isotonic with { Thresholds = [.. isotonic.Thresholds.Reverse()] }] } };
        var truncated = state with { Calibration = state.Calibration with { Maps = [isotonic with { Values = [.. isotonic.Values.Skip(1)] }] } };
        var wrongLabels = state with { Labels = ["A", "B", "C"] };
        var noMaps = state with { Calibration = state.Calibration with { Maps = [] } };

        Assert.Throws<StatisticsInputException>(() => PerformanceEstimator.FromState(unsorted));
        Assert.Throws<StatisticsInputException>(() => PerformanceEstimator.FromState(truncated));
        Assert.Throws<StatisticsInputException>(() => PerformanceEstimator.FromState(wrongLabels));
        Assert.Throws<StatisticsInputException>(() => PerformanceEstimator.FromState(noMaps));
    }
}
