using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Performance.Estimation;
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
            evaluation is null ? null : monitor.LatestView ?? Evaluation(evaluation));
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
            profile?.Groups)
        {
            Estimator = monitor.Calibration is { } c ? Calibration(c.Source, c.Estimator.State.Quality, c.Warning) : null,
        };
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
        [.. evaluation.Breaches.Select(b => new BreachView(b.Type, b.Severity.Name(), b.Summary, b.Features, b.Evidence, b.Estimated))],
        Playbook.ForDiagnosis(evaluation.Diagnosis),
        evaluation.PendingFeatures,
        evaluation.PendingReason,
        evaluation.Judgement is { } judgement ? [Metric(judgement.Accuracy, judgement.Confidence), Metric(judgement.F1, judgement.Confidence)] : [],
        evaluation.LabelMix is { } mix ? Feature(mix) : null,
        evaluation.RestoredFromAudit)
    {
        EstimatedPerformance = evaluation.Estimated is { } estimated ? Estimated(estimated) : null,
    };

    private static EstimatedPerformanceView Estimated(EstimatedPerformance e)
    {
        var estimate = e.Estimate;
        var labels = e.Estimate.PerLabel.Select(l => new LabelEstimateView(LabelName(e, l.Label), l.Precision.Value, Ci(l.Precision), l.Recall.Value, Ci(l.Recall), l.F1.Value, Ci(l.F1), l.ExpectedSupport));
        var realized = e.Realized is { } check
            ? new RealizedView(check.Count, check.Accuracy.Realized, check.Accuracy.Estimated, check.Accuracy.WithinInterval, check.F1Macro.Realized, check.F1Macro.Estimated, check.F1Macro.WithinInterval)
            : null;
        return new EstimatedPerformanceView(
            estimate.Count,
            estimate.Confidence,
            estimate.Accuracy.Value,
            Ci(estimate.Accuracy),
            estimate.Macro.F1.Value,
            Ci(estimate.Macro.F1),
            estimate.Macro.Precision.Value,
            estimate.Macro.Recall.Value,
            estimate.Weighted.Precision.Value,
            estimate.Weighted.Recall.Value,
            estimate.Weighted.F1.Value,
            [.. labels],
            Calibration(e.CalibratedOn, e.Calibration, null),
            realized);
    }

    public static CalibrationView Calibration(string calibratedOn, CalibrationQuality quality, string? warning) =>
        new(calibratedOn, quality.SampleCount, string.Join(", ", quality.Maps.Select(m => m.Method).Distinct()), quality.EceBefore, quality.EceAfter, warning);

    private static string LabelName(EstimatedPerformance e, int label) => label < e.Labels.Count ? e.Labels[label] : label.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static double[] Ci(ModelMonitor.Statistics.Estimation.MetricEstimate m) => [m.Low, m.High];

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
