using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>What the report needs from one evaluation; stored in its audit record and read back offline.</summary>
public sealed record EvaluationSummary(
    long Sequence,
    DateTimeOffset At,
    bool Skipped,
    int Window,
    int Labelled,
    Severity Severity,
    string Diagnosis,
    double? Accuracy,
    double? F1Macro,
    IReadOnlyList<string> BreachTypes,
    IReadOnlyList<string> DriftedFeatures)
{
    /// <summary>Accuracy estimated from calibrated confidence (CBPE), with its interval; null without an estimator.</summary>
    public double? EstimatedAccuracy { get; init; }

    public double? EstimatedAccuracyLow { get; init; }

    public double? EstimatedAccuracyHigh { get; init; }

    /// <summary>Macro F1 estimated the same way, with its interval.</summary>
    public double? EstimatedF1 { get; init; }

    public double? EstimatedF1Low { get; init; }

    public double? EstimatedF1High { get; init; }

    public static EvaluationSummary From(DriftEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return new EvaluationSummary(
            evaluation.Sequence,
            evaluation.EvaluatedAt,
            evaluation.Skipped,
            evaluation.Window.Count,
            evaluation.Window.Labelled,
            evaluation.Severity,
            evaluation.Diagnosis,
            evaluation.Performance?.Accuracy,
            evaluation.Performance?.F1Macro,
            [.. evaluation.Breaches.Select(b => b.Type)],
            [.. evaluation.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Feature)])
        {
            EstimatedAccuracy = evaluation.Estimated?.Estimate.Accuracy.Value,
            EstimatedAccuracyLow = evaluation.Estimated?.Estimate.Accuracy.Low,
            EstimatedAccuracyHigh = evaluation.Estimated?.Estimate.Accuracy.High,
            EstimatedF1 = evaluation.Estimated?.Estimate.Macro.F1.Value,
            EstimatedF1Low = evaluation.Estimated?.Estimate.Macro.F1.Low,
            EstimatedF1High = evaluation.Estimated?.Estimate.Macro.F1.High,
        };
    }
}
