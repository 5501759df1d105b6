using System.Globalization;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>
/// Judges a window against a frozen reference: every feature with the tests that fit its type, one
/// multiple-testing correction across the family, verdicts that need both significance and an
/// effect size, performance against the baseline, and a graded severity.
/// </summary>
public static class DriftEvaluator
{
    public static DriftEvaluation Evaluate(long sequence, DateTimeOffset now, ReferenceProfile reference, WindowSample window, PerformanceBaseline baseline, DriftPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(policy);
        var info = new WindowInfo(window.Vectors.Count, window.Labelled, window.From, window.To);
        if (window.Judged < policy.MinWindowSize)
        {
            var reason = window.FeatureFrom > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{window.Judged} predictions in the window came after the live reference; at least {policy.MinWindowSize} are needed (Drift:MinWindowSize).")
                : string.Create(CultureInfo.InvariantCulture, $"The window holds {window.Vectors.Count} predictions; at least {policy.MinWindowSize} are needed (Drift:MinWindowSize).");
            return new DriftEvaluation(sequence, now, info, reference.Count, reason, [], null, baseline, [], Severity.None, "none");
        }

        var pendingReason = ScoresPendingReason(reference, window, policy);
        var features = Decide(reference, window.Vectors, policy.Thresholds, judgeScores: pendingReason is null, window.ScoreFrom, window.FeatureFrom);
        var (performance, judgement, labelMix) = Score(window, reference, baseline, policy);
        var breaches = new List<Breach>();
        var drifted = features.Where(f => f.Verdict == DriftVerdict.Drift).ToArray();
        var inputs = drifted.Where(f => FeatureNames.IsInput(f.Feature)).ToArray();
        var outputs = drifted.Where(f => !FeatureNames.IsInput(f.Feature)).ToArray();
        var performanceBreach = PerformanceBreach(performance, judgement, baseline, policy);
        if (performanceBreach is not null)
        {
            breaches.Add(performanceBreach);
        }

        // The label mix moved while the model is still right: a prior shift, not concept drift.
        var priorShift = performanceBreach is null && labelMix is { Verdict: DriftVerdict.Drift };
        if (priorShift)
        {
            breaches.Add(new Breach(AlertTypes.PriorShift, policy.PriorShiftSeverity, string.Create(CultureInfo.InvariantCulture, $"The mix of true labels moved while performance held: accuracy {performance!.Accuracy:F4} on {performance.Labelled} labelled predictions."), [], [Evidence(labelMix!)]));
        }

        var inputGroups = DriftingGroups(reference, inputs);
        var outputGroups = DriftingGroups(reference, outputs);
        if (inputGroups.Count >= policy.LowInputGroups)
        {
            // Graded by independent signals: the drifting input groups, plus the output groups when
            // the shift reached the model's outputs too (a longer-text shift in the same domain
            // moves length but not what the model says; a new domain moves both).
            var signals = inputGroups.Count + outputGroups.Count;
            var severity = signals >= policy.HighInputGroups ? Severity.High
                : signals >= policy.MediumInputGroups ? Severity.Medium
                : Severity.Low;
            var summary = string.Create(CultureInfo.InvariantCulture, $"{signals} independent signal{(signals == 1 ? "" : "s")} drifted: {string.Join("; ", inputGroups.Concat(outputGroups).Select(g => string.Join(" + ", g)))}.");
            breaches.Add(new Breach(AlertTypes.InputDrift, severity, summary, [.. inputs.Select(f => f.Feature)], [.. inputs.Select(Evidence)]));
        }

        if (outputGroups.Count >= policy.MediumOutputGroups)
        {
            var summary = string.Create(CultureInfo.InvariantCulture, $"The model's outputs drifted: {string.Join(", ", outputs.Select(f => f.Feature))}.");
            breaches.Add(new Breach(AlertTypes.OutputDrift, Severity.Medium, summary, [.. outputs.Select(f => f.Feature)], [.. outputs.Select(Evidence)]));
        }

        var overall = breaches.Count == 0 ? Severity.None : breaches.Max(b => b.Severity);
        var diagnosis = (performanceBreach is not null, inputs.Length > 0, outputs.Length > 0) switch
        {
            (true, false, _) => "concept_drift",
            (true, true, _) => "data_drift_with_performance_drop",
            (false, true, _) => "data_drift",
            _ when priorShift => "prior_shift",
            (false, false, true) => "output_drift",
            _ => "none",
        };
        return new DriftEvaluation(sequence, now, info, reference.Count, null, features, performance, baseline, breaches, overall, diagnosis)
        {
            Judgement = judgement,
            LabelMix = labelMix,
            PendingFeatures = pendingReason is null ? [] : FeatureNames.Scores,
            PendingReason = pendingReason,
        };
    }

    /// <summary>Why the score features cannot be judged yet, or null when they can.</summary>
    private static string? ScoresPendingReason(ReferenceProfile reference, WindowSample window, DriftPolicy policy)
    {
        if (reference.Scores == ScoreSource.AwaitingLive)
        {
            return "The score features (confidence, margin, entropy) wait for the first live predictions to become their reference (Drift:ScoreReference=Live).";
        }

        var scored = window.ScoreJudged;
        return reference.Scores == ScoreSource.Live && scored < policy.MinWindowSize
            ? string.Create(CultureInfo.InvariantCulture, $"{scored} predictions in the window came after the score reference was frozen; the score features need at least {policy.MinWindowSize} (Drift:MinWindowSize).")
            : null;
    }

    /// <summary>
    /// Every feature compared and decided, inputs first, in <see cref="FeatureNames.All"/> order.
    /// Without <paramref name="judgeScores"/> the score features are left out (and out of the
    /// multiple-testing family); with a live score reference they are judged on the predictions
    /// from <paramref name="scoreFrom"/> on. Every feature is judged from <paramref name="featureFrom"/> on.
    /// </summary>
    public static IReadOnlyList<FeatureDriftResult> Decide(ReferenceProfile reference, IReadOnlyList<TextFeatureVector> vectors, DriftThresholds thresholds, bool judgeScores = true, int scoreFrom = 0, int featureFrom = 0)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(thresholds);
        var raw = new List<FeatureDriftResult>(FeatureNames.All.Count);
        foreach (var feature in FeatureNames.All)
        {
            var isScore = FeatureNames.IsScore(feature);
            if (isScore && !judgeScores)
            {
                continue;
            }

            if (FeatureNames.Numeric.Contains(feature))
            {
                var from = Math.Clamp(isScore && reference.Scores == ScoreSource.Live ? Math.Max(scoreFrom, featureFrom) : featureFrom, 0, vectors.Count);
                var values = new double[vectors.Count - from];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = vectors[from + i].Numeric(feature);
                }

                raw.Add(FeatureDrift.Numeric(feature, reference.Numeric(feature), values, thresholds));
            }
            else
            {
                var current = Categories.Count(vectors.Skip(featureFrom).Select(v => v.Category(feature, reference.Labels)));
                raw.Add(FeatureDrift.Categorical(feature, reference.Categories(feature), current, thresholds));
            }
        }

        // Features that measure the same thing are one signal: one member of the family each.
        return SignalGroups.Decide(raw, [.. raw.Select(f => reference.GroupOf(f.Feature))], thresholds);
    }

    /// <summary>The drifting signal groups among <paramref name="drifted"/>: each named by its drifting members.</summary>
    private static IReadOnlyList<string[]> DriftingGroups(ReferenceProfile reference, IEnumerable<FeatureDriftResult> drifted) =>
        [.. drifted.GroupBy(f => reference.GroupOf(f.Feature)).Select(g => g.Select(f => f.Feature).ToArray())];

    /// <summary>
    /// The window's performance over its labelled predictions, judged with its sampling error, and
    /// the mix of its true labels compared with the reference's predicted-label mix (the model's
    /// view of the reference's classes; the reference need not be labelled).
    /// </summary>
    private static (PerformanceSnapshot? Performance, PerformanceJudgement? Judgement, FeatureDriftResult? LabelMix) Score(WindowSample window, ReferenceProfile reference, PerformanceBaseline baseline, DriftPolicy policy)
    {
        var truth = new List<int>();
        var predicted = new List<int>();
        for (var i = 0; i < window.Vectors.Count; i++)
        {
            if (window.Truth[i] >= 0)
            {
                truth.Add(window.Truth[i]);
                predicted.Add(window.Vectors[i].PredictedLabel);
            }
        }

        if (truth.Count < Math.Max(1, policy.MinLabelled))
        {
            return (null, null, null);
        }

        var labels = reference.Labels;
        var performance = PerformanceSnapshot.Compute([.. truth], [.. predicted], labels.Count);
        var judgement = PerformanceTests.Judge([.. truth], [.. predicted], labels.Count, performance, baseline, policy.CriticalPerformanceDropPoints / 100, policy.Thresholds.Alpha);
        var mix = Categories.Count(truth.Select(t => labels[t]));
        var labelMix = FeatureDrift.Decide([FeatureDrift.Categorical(TrueLabelMix, reference.Categories(FeatureNames.PredictedLabel), mix, policy.Thresholds)], policy.Thresholds)[0];
        return (performance, judgement, labelMix);
    }

    /// <summary>The name under which the true-label mix is compared with the reference.</summary>
    public const string TrueLabelMix = "true_label_mix";

    /// <summary>
    /// Critical when accuracy or F1 fell more than the allowed points below the baseline and the
    /// fall is significant: the one-sided test rejects, at alpha, that the true value is still at
    /// least the baseline minus the allowed drop. A small window's noise alone does not page anyone.
    /// </summary>
    private static Breach? PerformanceBreach(PerformanceSnapshot? performance, PerformanceJudgement? judgement, PerformanceBaseline baseline, DriftPolicy policy)
    {
        if (performance is null || judgement is null)
        {
            return null;
        }

        var allowed = policy.CriticalPerformanceDropPoints / 100;
        var alpha = policy.Thresholds.Alpha;
        var evidence = new List<string>();
        foreach (var (metric, name) in new[] { (judgement.Accuracy, "accuracy"), (judgement.F1, "F1 over the classes present") })
        {
            if (metric.Dropped(allowed) && metric.PValue < alpha)
            {
                evidence.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {metric.Value:F4} ({judgement.Confidence:P0} CI {metric.Low:F4}-{metric.High:F4}) is {(metric.Baseline!.Value - metric.Value) * 100:F1} points below the {baseline.Source} baseline {metric.Baseline:F4} (threshold {policy.CriticalPerformanceDropPoints:G} points); p {metric.PValue:G3} < alpha {alpha:G} that it is still at least {metric.AllowedLevel:F4}, {performance.Labelled} labelled"));
            }
        }

        return evidence.Count == 0
            ? null
            : new Breach(AlertTypes.Performance, Severity.Critical, string.Create(CultureInfo.InvariantCulture, $"Performance fell: accuracy {performance.Accuracy:F4} (CI {judgement.Accuracy.Low:F4}-{judgement.Accuracy.High:F4}), F1 {performance.F1Present:F4} on {performance.Labelled} labelled predictions."), [], evidence);
    }

    /// <summary>One line per feature: its significance and every effect size against its threshold.</summary>
    private static string Evidence(FeatureDriftResult feature)
    {
        var effects = feature.Tests
            .Where(t => t.Threshold is not null)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Test} {t.Statistic:G4} (threshold {t.Threshold:G4})"));
        var test = feature.Tests.First(t => t.PValue is not null);
        return string.Create(CultureInfo.InvariantCulture, $"{feature.Feature}: {test.Test} {test.Statistic:G4}, p {feature.PValue:G3}, adjusted p {feature.AdjustedPValue:G3}; {string.Join(", ", effects)}; reference {feature.ReferenceCount}, window {feature.CurrentCount}");
    }
}
