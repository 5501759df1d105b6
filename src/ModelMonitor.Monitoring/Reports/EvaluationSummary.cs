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
            [.. evaluation.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Feature)]);
    }
}
