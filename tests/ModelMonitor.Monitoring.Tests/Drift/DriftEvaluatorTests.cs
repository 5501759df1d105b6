using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Tests.Drift;

public class DriftEvaluatorTests
{
    private static readonly DriftPolicy Policy = new();

    private static DriftEvaluation Evaluate(TextFeatureVector[] window, int[]? truth = null, PerformanceBaseline? baseline = null, TextFeatureVector[]? reference = null) =>
        DriftEvaluator.Evaluate(
            1,
            DateTimeOffset.UnixEpoch,
            Synthetic.Profile(reference ?? Synthetic.Vectors(5000, seed: 1)),
            new WindowSample(window, truth ?? [.. window.Select(_ => -1)], null, null),
            baseline ?? PerformanceBaseline.None,
            Policy);

    [Fact]
    public void A_window_below_the_minimum_is_skipped_with_the_reason()
    {
        var evaluation = Evaluate(Synthetic.Vectors(99, seed: 2));
        Assert.True(evaluation.Skipped);
        Assert.Contains("at least 100", evaluation.SkippedReason, StringComparison.Ordinal);
        Assert.Empty(evaluation.Features);
        Assert.False(evaluation.DriftDetected);
    }

    [Fact]
    public void The_same_distribution_raises_nothing_and_every_feature_gets_its_tests()
    {
        var evaluation = Evaluate(Synthetic.Vectors(1000, seed: 3));
        Assert.Equal(Severity.None, evaluation.Severity);
        Assert.Equal("none", evaluation.Diagnosis);
        Assert.Equal(FeatureNames.All, evaluation.Features.Select(f => f.Feature));
        foreach (var feature in evaluation.Features)
        {
            string[] expected = feature.Kind == FeatureKind.Numeric
                ? ["ks", "psi", "wasserstein", "wasserstein_normed", "jensen_shannon"]
                : ["chi_square", "psi", "jensen_shannon"];
            Assert.Equal(expected, feature.Tests.Select(t => t.Test));
            Assert.True(feature.AdjustedPValue >= feature.PValue);
        }
    }

    [Fact]
    public void One_drifting_input_signal_is_low_and_correlated_length_features_count_once()
    {
        var one = Evaluate(Synthetic.Vectors(1000, seed: 4, nonLetterShift: 0.15));
        Assert.Equal(Severity.Low, one.Severity);
        Assert.Equal("data_drift", one.Diagnosis);
        var breach = Assert.Single(one.Breaches);
        Assert.Equal((AlertTypes.InputDrift, Severity.Low), (breach.Type, breach.Severity));
        Assert.Equal([FeatureNames.NonLetterShare], breach.Features);
        Assert.Contains("adjusted p", breach.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("threshold", breach.Evidence[0], StringComparison.Ordinal);

        // char_length and token_count measure one thing on the reference: three features, two signals, medium.
        var three = Evaluate(Synthetic.Vectors(1000, seed: 5, lengthScale: 2.5, nonLetterShift: 0.15));
        Assert.Equal(Severity.Medium, three.Severity);
        Assert.Equal([FeatureNames.CharLength, FeatureNames.TokenCount, FeatureNames.NonLetterShare], three.Breaches.Single().Features);
        Assert.Contains("2 independent signals", three.Breaches.Single().Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_in_labels_or_confidence_is_medium_output_drift()
    {
        var labels = Evaluate(Synthetic.Vectors(1000, seed: 6, positiveShare: 0.85));
        Assert.Equal(Severity.Medium, labels.Severity);
        Assert.Equal("output_drift", labels.Diagnosis);
        Assert.Contains(FeatureNames.PredictedLabel, labels.Breaches.Single(b => b.Type == AlertTypes.OutputDrift).Features);

        var confidence = Evaluate(Synthetic.Vectors(1000, seed: 7, confidenceShift: 0.15));
        Assert.Equal(Severity.Medium, confidence.Severity);
        Assert.Contains(FeatureNames.Confidence, confidence.Breaches.Single().Features);
    }

    [Fact]
    public void A_significant_but_tiny_change_in_a_huge_window_is_not_drift()
    {
        // 200,000 vs 200,000: a 2% length change is highly significant but far below every effect threshold.
        var reference = Synthetic.Vectors(200_000, seed: 8);
        var evaluation = DriftEvaluator.Evaluate(1, DateTimeOffset.UnixEpoch, Synthetic.Profile(reference), new WindowSample(Synthetic.Vectors(200_000, seed: 9, lengthScale: 1.02), [.. Enumerable.Repeat(-1, 200_000)], null, null), PerformanceBaseline.None, Policy with { MinWindowSize = 1 });
        var length = evaluation.Features.Single(f => f.Feature == FeatureNames.CharLength);
        Assert.True(length.AdjustedPValue < 1e-6);
        Assert.NotEqual(DriftVerdict.Drift, length.Verdict);
        Assert.Equal(Severity.None, evaluation.Severity);
    }

    [Fact]
    public void Accuracy_more_than_five_points_below_baseline_is_critical_concept_drift()
    {
        var window = Synthetic.Vectors(1000, seed: 10);
        var baseline = new PerformanceBaseline(0.9, 0.9, "reference");
        var fine = Evaluate(window, Synthetic.Truth(window, 0.13, seed: 11), baseline);
        Assert.NotNull(fine.Performance);
        Assert.Equal(Severity.None, fine.Severity);

        var worse = Evaluate(window, Synthetic.Truth(window, 0.2, seed: 12), baseline);
        Assert.Equal(Severity.Critical, worse.Severity);
        Assert.Equal("concept_drift", worse.Diagnosis);
        Assert.Contains("below the reference baseline", worse.Breaches.Single().Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Performance_is_judged_only_with_enough_labels_and_a_drop_with_input_drift_is_named_so()
    {
        var window = Synthetic.Vectors(1000, seed: 13, nonLetterShift: 0.15);
        var truth = Enumerable.Repeat(-1, 1000).ToArray();
        for (var i = 0; i < 29; i++)
        {
            truth[i] = 1 - window[i].PredictedLabel;
        }

        var baseline = new PerformanceBaseline(0.9, null, "configured");
        Assert.Null(Evaluate(window, truth, baseline).Performance);
        truth[29] = 1 - window[29].PredictedLabel;
        var judged = Evaluate(window, truth, baseline);
        Assert.Equal(30, judged.Performance!.Labelled);
        Assert.Equal(0, judged.Performance.Accuracy);
        Assert.Equal("data_drift_with_performance_drop", judged.Diagnosis);
        Assert.Equal(Severity.Critical, judged.Severity);
    }
}
