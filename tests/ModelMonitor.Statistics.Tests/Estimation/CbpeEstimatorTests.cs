using System.Text.Json;
using ModelMonitor.Statistics.Estimation;
using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests.Estimation;

public sealed class CbpeEstimatorTests
{
    [Fact]
    public void Estimates_and_sampling_errors_match_nannyml_formulas_computed_in_numpy()
    {
        var cases = 0;
        foreach (var c in GoldenSamples.Cases("cbpe"))
        {
            var k = c.GetProperty("labels").GetInt32();
            var referenceTruth = Ints(c.GetProperty("reference_true"));
            var referencePredicted = Ints(c.GetProperty("reference_pred"));
            var probabilities = c.GetProperty("probabilities").EnumerateArray().Select(GoldenSamples.Doubles).ToArray();
            var predicted = Ints(c.GetProperty("predicted"));

            var components = SamplingErrorComponents.Fit(referenceTruth, referencePredicted, k);
            Close($"k={k} accuracy std", c.GetProperty("accuracy_std").GetDouble(), components.AccuracyStd);
            var estimate = CbpeEstimator.Estimate(predicted, probabilities, components, 0.95);

            Metric($"k={k} accuracy", c.GetProperty("accuracy"), estimate.Accuracy);
            var perLabel = c.GetProperty("per_label").EnumerateArray().ToArray();
            for (var label = 0; label < k; label++)
            {
                var expected = perLabel[label];
                var actual = estimate.PerLabel[label];
                foreach (var (name, metric) in new[] { ("precision", actual.Precision), ("recall", actual.Recall), ("f1", actual.F1) })
                {
                    Close($"k={k} {name}[{label}]", expected.GetProperty(name).GetDouble(), metric.Value);
                    Close($"k={k} {name}[{label}] error", expected.GetProperty(name + "_se").GetDouble(), metric.StandardError);
                    var parts = expected.GetProperty("components").GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                    var (std, fraction) = name switch
                    {
                        "precision" => (components.Labels[label].PrecisionStd, components.Labels[label].PrecisionFraction),
                        "recall" => (components.Labels[label].RecallStd, components.Labels[label].RecallFraction),
                        _ => (components.Labels[label].F1Std, components.Labels[label].F1Fraction),
                    };
                    Close($"k={k} {name}[{label}] std", parts[0], std);
                    Close($"k={k} {name}[{label}] fraction", parts[1], fraction);
                }

                Close($"k={k} support[{label}]", expected.GetProperty("support").GetDouble(), actual.ExpectedSupport);
            }

            foreach (var (average, actual) in new[] { ("macro", estimate.Macro), ("weighted", estimate.Weighted) })
            {
                var expected = c.GetProperty(average);
                Metric($"k={k} {average} precision", expected.GetProperty("precision"), actual.Precision);
                Metric($"k={k} {average} recall", expected.GetProperty("recall"), actual.Recall);
                Metric($"k={k} {average} f1", expected.GetProperty("f1"), actual.F1);
            }

            var confusion = c.GetProperty("confusion").EnumerateArray().Select(GoldenSamples.Doubles).ToArray();
            for (var t = 0; t < k; t++)
            {
                for (var p = 0; p < k; p++)
                {
                    Close($"k={k} confusion[{t},{p}]", confusion[t][p], estimate.ExpectedConfusion[t][p]);
                }
            }

            cases++;
        }

        Assert.Equal(5, cases);
    }

    [Fact]
    public void Expected_confusion_of_a_small_binary_window_is_the_sum_of_its_probabilities()
    {
        // Two predictions of label 1 (right with 0.9 and 0.6) and one of label 0 (right with 0.8).
        var errors = SamplingErrorComponents.Fit([0, 1, 1, 0], [0, 1, 0, 1], 2);
        var estimate = CbpeEstimator.Estimate([1, 1, 0], [[0.1, 0.9], [0.4, 0.6], [0.8, 0.2]], errors);
        Assert.Equal(0.8, estimate.ExpectedConfusion[0][0], 15);
        Assert.Equal(0.5, estimate.ExpectedConfusion[0][1], 15);
        Assert.Equal(0.2, estimate.ExpectedConfusion[1][0], 15);
        Assert.Equal(1.5, estimate.ExpectedConfusion[1][1], 15);
        Assert.Equal(2.3 / 3, estimate.Accuracy.Value, 15);
        Assert.Equal(1.5 / 2.0, estimate.PerLabel[1].Precision.Value, 15);
        Assert.Equal(1.5 / 1.7, estimate.PerLabel[1].Recall.Value, 15);
    }

    [Fact]
    public void A_label_never_predicted_in_the_reference_has_an_unbounded_precision_interval()
    {
        var errors = SamplingErrorComponents.Fit([0, 1, 2, 2], [0, 1, 1, 0], 3);
        var estimate = CbpeEstimator.Estimate([2, 0], [[0.2, 0.2, 0.6], [0.7, 0.2, 0.1]], errors);
        Assert.True(double.IsPositiveInfinity(estimate.PerLabel[2].Precision.StandardError));
        Assert.Equal(0, estimate.PerLabel[2].Precision.Low);
        Assert.Equal(1, estimate.PerLabel[2].Precision.High);
        Assert.Equal(1, estimate.Macro.Precision.High);
    }

    [Fact]
    public void Intervals_widen_with_the_confidence_and_narrow_with_the_window()
    {
        var errors = SamplingErrorComponents.Fit([0, 1, 1, 0, 1, 0, 0, 1], [0, 1, 0, 0, 1, 1, 0, 1], 2);
        double[][] window = [[0.3, 0.7], [0.8, 0.2]];
        var small = CbpeEstimator.Estimate([1, 0], window, errors, 0.95);
        var wide = CbpeEstimator.Estimate([1, 0], window, errors, 0.9973);
        var large = CbpeEstimator.Estimate([.. Enumerable.Repeat(1, 200), .. Enumerable.Repeat(0, 200)], [.. Enumerable.Repeat(window[0], 200), .. Enumerable.Repeat(window[1], 200)], errors, 0.95);
        Assert.Equal(errors.AccuracyStd / Math.Sqrt(2), small.Accuracy.StandardError, 15);
        Assert.True(wide.Accuracy.High - wide.Accuracy.Low > small.Accuracy.High - small.Accuracy.Low);
        Assert.Equal(small.Accuracy.Value, large.Accuracy.Value, 15);
        Assert.Equal(small.Accuracy.StandardError / Math.Sqrt(200), large.Accuracy.StandardError, 15);
    }

    [Fact]
    public void Probabilities_that_do_not_sum_to_one_or_labels_out_of_range_are_rejected()
    {
        var errors = SamplingErrorComponents.Fit([0, 1], [0, 1], 2);
        Assert.Throws<StatisticsInputException>(() => CbpeEstimator.Estimate([0], [[0.5, 0.4]], errors));
        Assert.Throws<StatisticsInputException>(() => CbpeEstimator.Estimate([2], [[0.5, 0.5]], errors));
        Assert.Throws<StatisticsInputException>(() => CbpeEstimator.Estimate([0], [[0.5, 0.25, 0.25]], errors));
        Assert.Throws<StatisticsInputException>(() => CbpeEstimator.Estimate([], [], errors));
        Assert.Throws<StatisticsInputException>(() => CbpeEstimator.Estimate([0], [[0.5, 0.5]], errors, 1));
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static void Metric(string what, JsonElement expected, Statistics.Estimation.MetricEstimate actual)
    {
        Close(what, expected.GetProperty("value").GetDouble(), actual.Value);
        Close(what + " error", expected.GetProperty("se").GetDouble(), actual.StandardError);
        Close(what + " lower", expected.GetProperty("lower").GetDouble(), actual.Low);
        Close(what + " upper", expected.GetProperty("upper").GetDouble(), actual.High);
    }

    private static void Close(string what, double expected, double actual) =>
        Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic, 1e-15), Tolerance.Report(what, expected, actual));
}
