using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Tests.Drift;

/// <summary>
/// A reference the model was trained on makes it look surer of itself than it is on anything new.
/// The score features can therefore be judged against the first live predictions instead.
/// </summary>
public class ScoreReferenceTests
{
    private static readonly DriftPolicy Policy = new();

    // "Training" texts: the model is surer of them (confidence 0.15 higher) than of live ones.
    private static readonly ReferenceProfile Trained = Synthetic.Profile(Synthetic.Vectors(5000, seed: 1, confidenceShift: -0.15));

    private static DriftEvaluation Evaluate(ReferenceProfile reference, TextFeatureVector[] window, int scoreFrom = 0) =>
        DriftEvaluator.Evaluate(1, DateTimeOffset.UnixEpoch, reference, new WindowSample(window, [.. window.Select(_ => -1)], null, null) { ScoreFrom = scoreFrom }, PerformanceBaseline.None, Policy);

    [Fact]
    public void Scores_against_an_overconfident_reference_drift_although_nothing_changed()
    {
        var evaluation = Evaluate(Trained, Synthetic.Vectors(1000, seed: 2));
        Assert.Equal(DriftVerdict.Drift, Verdict(evaluation, FeatureNames.Confidence));
        Assert.Equal(AlertTypes.OutputDrift, Assert.Single(evaluation.Breaches).Type);
    }

    [Fact]
    public void A_live_score_reference_replaces_only_the_score_features()
    {
        var live = ScoreSample.From(DateTimeOffset.UnixEpoch, "test", Synthetic.Vectors(500, seed: 3), "p-500");
        var profile = Trained.WithLiveScores(live);
        Assert.Equal(ScoreSource.Live, profile.Scores);
        foreach (var feature in FeatureNames.Numeric)
        {
            var expected = FeatureNames.IsScore(feature) ? 500 : 5000;
            Assert.Equal(expected, profile.Numeric(feature).Count);
        }

        var evaluation = Evaluate(profile, Synthetic.Vectors(1000, seed: 4));
        Assert.Equal(Severity.None, evaluation.Severity);
        Assert.Equal(FeatureNames.All, evaluation.Features.Select(f => f.Feature));
        Assert.Empty(evaluation.PendingFeatures);
    }

    [Fact]
    public void A_live_score_reference_still_sees_scores_that_move_later()
    {
        var profile = Trained.WithLiveScores(ScoreSample.From(DateTimeOffset.UnixEpoch, "test", Synthetic.Vectors(500, seed: 3), null));
        var evaluation = Evaluate(profile, Synthetic.Vectors(1000, seed: 5, confidenceShift: 0.15));
        Assert.Equal(DriftVerdict.Drift, Verdict(evaluation, FeatureNames.Confidence));
        Assert.Equal("output_drift", evaluation.Diagnosis);
    }

    [Fact]
    public void While_the_score_reference_is_collected_the_score_features_wait_and_leave_the_correction_family()
    {
        var window = Synthetic.Vectors(1000, seed: 6, lengthScale: 1.5);
        var evaluation = Evaluate(Trained.AwaitLiveScores(), window);
        Assert.Equal(FeatureNames.Scores, evaluation.PendingFeatures);
        Assert.Contains("wait for the first live predictions", evaluation.PendingReason, StringComparison.Ordinal);
        Assert.Equal([.. FeatureNames.All.Where(f => !FeatureNames.IsScore(f))], evaluation.Features.Select(f => f.Feature));

        // The six judged features' signal groups corrected together; the score group is not in the family.
        var groups = evaluation.Features.Select(f => Trained.GroupOf(f.Feature)).ToArray();
        Assert.DoesNotContain(Trained.GroupOf(FeatureNames.Confidence), groups);
        var adjusted = ModelMonitor.Statistics.Drift.SignalGroups.Decide(evaluation.Features, groups, Policy.Thresholds).Select(f => f.AdjustedPValue);
        Assert.Equal(adjusted, evaluation.Features.Select(f => f.AdjustedPValue));
        Assert.Equal(AlertTypes.InputDrift, Assert.Single(evaluation.Breaches).Type);
    }

    [Fact]
    public void Score_features_are_judged_only_on_predictions_after_the_score_reference()
    {
        var profile = Trained.WithLiveScores(ScoreSample.From(DateTimeOffset.UnixEpoch, "test", Synthetic.Vectors(500, seed: 3), null));
        var window = Synthetic.Vectors(300, seed: 7);
        var judged = Evaluate(profile, window, scoreFrom: 150);
        Assert.Equal(150, judged.Features.Single(f => f.Feature == FeatureNames.Confidence).CurrentCount);
        Assert.Equal(300, judged.Features.Single(f => f.Feature == FeatureNames.CharLength).CurrentCount);

        var tooFew = Evaluate(profile, window, scoreFrom: 250);
        Assert.Equal(FeatureNames.Scores, tooFew.PendingFeatures);
        Assert.Contains("50 predictions in the window came after the score reference", tooFew.PendingReason, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_live_reference_features_are_judged_on_later_predictions_and_performance_on_all()
    {
        var profile = Synthetic.Profile(Synthetic.Vectors(500, seed: 8));
        var window = Synthetic.Vectors(300, seed: 9);
        var truth = Synthetic.Truth(window, wrongShare: 0.1, seed: 10);
        var evaluation = DriftEvaluator.Evaluate(1, DateTimeOffset.UnixEpoch, profile, new WindowSample(window, truth, null, null) { FeatureFrom = 120 }, PerformanceBaseline.None, Policy);
        Assert.All(evaluation.Features, f => Assert.Equal(180, f.CurrentCount));
        Assert.Equal(300, evaluation.Performance!.Labelled);
        Assert.Equal(300, evaluation.Window.Count);

        var skipped = DriftEvaluator.Evaluate(1, DateTimeOffset.UnixEpoch, profile, new WindowSample(window, truth, null, null) { FeatureFrom = 250 }, PerformanceBaseline.None, Policy);
        Assert.Contains("50 predictions in the window came after the live reference", skipped.SkippedReason, StringComparison.Ordinal);
    }

    private static DriftVerdict Verdict(DriftEvaluation evaluation, string feature) => evaluation.Features.Single(f => f.Feature == feature).Verdict;
}
