using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation;

public sealed class EstimateCheckTests
{
    private static readonly string[] Labels = ["NEGATIVE", "POSITIVE"];

    [Fact]
    public void Realized_metrics_are_sklearns_and_each_is_judged_against_its_own_interval()
    {
        var random = new Random(11);
        var reference = SyntheticModel.Binary(2000, random);
        var estimator = PerformanceEstimator.Fit(Labels, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));
        var window = SyntheticModel.Binary(300, random);
        var predicted = SyntheticModel.Predicted(window);
        var truth = SyntheticModel.Truth(window);

        var check = estimator.Check(predicted, SyntheticModel.Probabilities(window), truth);

        var realized = ClassificationMetrics.Compute(truth, predicted, 2);
        Assert.Equal(realized.Accuracy, check.Accuracy.Realized);
        Assert.Equal(realized.Macro.F1, check.F1Macro.Realized);
        Assert.Equal(realized.PerClass[1].Recall, check.Find("recall", 1).Realized);
        Assert.Equal(realized.Weighted.Precision, check.Find("precision_weighted").Realized);
        Assert.All(check.Metrics, m => Assert.Equal(m.Realized >= m.Low && m.Realized <= m.High, m.WithinInterval));
        Assert.Equal(7 + (3 * 2), check.Metrics.Count);
    }

    [Fact]
    public void Labels_that_contradict_the_confident_predictions_fall_outside_the_interval()
    {
        var random = new Random(12);
        var reference = SyntheticModel.Binary(2000, random);
        var estimator = PerformanceEstimator.Fit(Labels, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));
        var window = SyntheticModel.Binary(300, random);
        var predicted = SyntheticModel.Predicted(window);

        // Concept drift: the same inputs, and now every other label is the opposite one.
        var flipped = predicted.Select((p, i) => i % 2 == 0 ? 1 - p : p).ToArray();
        var check = estimator.Check(predicted, SyntheticModel.Probabilities(window), flipped);

        Assert.False(check.Accuracy.WithinInterval);
        Assert.True(check.Accuracy.Error < -0.2, $"realized minus estimated {check.Accuracy.Error:F3}");
    }

    [Fact]
    public void An_estimate_is_only_compared_with_labels_for_the_same_predictions()
    {
        var random = new Random(13);
        var reference = SyntheticModel.Binary(500, random);
        var estimator = PerformanceEstimator.Fit(Labels, SyntheticModel.Probabilities(reference), SyntheticModel.Predicted(reference), SyntheticModel.Truth(reference));
        var window = SyntheticModel.Binary(10, random);
        var estimate = estimator.Estimate(SyntheticModel.Predicted(window), SyntheticModel.Probabilities(window));

        Assert.Throws<StatisticsInputException>(() => Statistics.Estimation.RealizedComparison.Compare(estimate, [0, 1], [0, 1]));
    }
}
