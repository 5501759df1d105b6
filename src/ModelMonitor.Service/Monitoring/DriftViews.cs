using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Options;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Monitoring;

/// <summary>Maps the monitor's state to the /drift response.</summary>
internal static class DriftViews
{
    public static DriftResponse Drift(MonitorSnapshot monitor, DriftOptions options)
    {
        var evaluation = monitor.Latest;
        return new DriftResponse(
            Reference(monitor),
            new WindowView(monitor.WindowCount, options.WindowSize, options.WindowSeconds > 0 ? options.WindowSeconds : null, options.MinWindowSize),
            evaluation?.DriftDetected ?? false,
            (evaluation?.Severity ?? Severity.None).Name(),
            evaluation is null ? null : Evaluation(evaluation));
    }

    public static ReferenceView Reference(MonitorSnapshot monitor)
    {
        var status = monitor.Status;
        var profile = monitor.Reference;
        return new ReferenceView(
            status.State,
            status.Source,
            status.Done,
            status.Total,
            status.Message,
            profile?.Count,
            profile?.CreatedAt,
            profile?.Performance is { } performance ? Performance(performance) : null,
            Baseline(monitor.Baseline),
            profile is null ? null : Scores(monitor, profile),
            profile?.Groups);
    }

    private static ScoreReferenceView Scores(MonitorSnapshot monitor, ReferenceProfile profile)
    {
        var (collected, needed) = (monitor.ScoresCollected, monitor.ScoresNeeded);
        return profile.Scores switch
        {
            ScoreSource.Live => new ScoreReferenceView("live", "ready", profile.LiveScores!.Count, profile.LiveScores.Count, profile.LiveScores.FrozenAt),
            ScoreSource.AwaitingLive => new ScoreReferenceView("live", "collecting", collected, needed, null),
            _ => new ScoreReferenceView("reference", "ready", profile.Count, profile.Count, profile.CreatedAt),
        };
    }

    public static EvaluationView Evaluation(DriftEvaluation evaluation) => new(
        evaluation.Sequence,
        evaluation.EvaluatedAt,
        evaluation.SkippedReason,
        evaluation.Severity.Name(),
        evaluation.Diagnosis,
        evaluation.Window.Count,
        evaluation.Window.Labelled,
        evaluation.Window.From,
        evaluation.Window.To,
        evaluation.ReferenceCount,
        [.. evaluation.Features.Select(Feature)],
        evaluation.Performance is { } performance ? Performance(performance) : null,
        Baseline(evaluation.Baseline),
        [.. evaluation.Breaches.Select(b => new BreachView(b.Type, b.Severity.Name(), b.Summary, b.Features, b.Evidence))],
        Playbook.ForDiagnosis(evaluation.Diagnosis),
        evaluation.PendingFeatures,
        evaluation.PendingReason,
        evaluation.Judgement is { } judgement ? [Metric(judgement.Accuracy, judgement.Confidence), Metric(judgement.F1, judgement.Confidence)] : [],
        evaluation.LabelMix is { } mix ? Feature(mix) : null,
        evaluation.RestoredFromAudit);

    private static MetricView Metric(MetricJudgement m, double confidence) =>
        new(m.Metric, m.Value, m.Low, m.High, confidence, m.Baseline, m.AllowedLevel, m.PValue, m.Method);

    private static FeatureView Feature(FeatureDriftResult feature)
    {
        var test = feature.Tests.First(t => t.PValue is not null);
        var effect = Decisive(feature);
        return new FeatureView(
            feature.Feature,
            FeatureNames.IsInput(feature.Feature) ? "input" : feature.Feature == DriftEvaluator.TrueLabelMix ? "labels" : "output",
            feature.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
            test.Test,
            test.Statistic,
            feature.PValue,
            feature.AdjustedPValue,
            effect?.Test ?? feature.EffectSize,
            effect?.Statistic ?? feature.EffectValue,
            effect?.Threshold,
            feature.Verdict.ToString().ToLowerInvariant(),
            feature.ReferenceCount,
            feature.CurrentCount,
            [.. feature.Tests.Select(t => new TestView(t.Test, t.Statistic, t.PValue, t.AdjustedPValue, t.Threshold))]);
    }

    /// <summary>
    /// The effect size that decided the verdict: of the measures with a threshold, the one with the
    /// largest ratio to its threshold. For a drifting feature that is one that crossed (the verdict
    /// needs one); for a stable one, the one that came closest.
    /// </summary>
    public static TestResult? Decisive(FeatureDriftResult feature) =>
        feature.Tests.Where(t => t.Threshold is > 0).MaxBy(t => t.Statistic / t.Threshold!.Value);

    private static PerformanceView Performance(PerformanceSnapshot p) =>
        new(p.Labelled, p.Accuracy, p.PrecisionMacro, p.RecallMacro, p.F1Macro, p.PrecisionWeighted, p.RecallWeighted, p.F1Weighted, p.F1Present);

    private static BaselineView Baseline(PerformanceBaseline b) => new(b.Accuracy, b.F1, b.Source, b.Note);
}
