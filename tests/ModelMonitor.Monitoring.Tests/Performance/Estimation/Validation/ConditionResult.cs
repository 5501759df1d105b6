using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>A condition's windows and their summaries.</summary>
internal sealed record ConditionResult(string Name, string Description, IReadOnlyList<WindowOutcome> Windows)
{
    public MetricSummary Accuracy { get; } = MetricSummary.Of([.. Windows.Select(w => (w.Accuracy, w.RealizedAccuracy, w.BaselineAccuracy))]);

    public MetricSummary F1Macro { get; } = MetricSummary.Of([.. Windows.Select(w => (w.F1Macro, w.RealizedF1Macro, w.BaselineF1Macro))]);

    /// <summary>The mean absolute error of the accuracy an estimate would have had that knew the true accuracy <paramref name="truth"/> of the whole population: the floor that window sampling alone sets.</summary>
    public double FloorError(double truth) => Windows.Average(w => Math.Abs(w.RealizedAccuracy!.Value - truth));

    /// <summary>The features the drift monitor found drifting in at least <paramref name="share"/> of the windows, most often first.</summary>
    public IReadOnlyList<(string Feature, double Share)> DriftingFeatures(double share) =>
        [.. Windows.SelectMany(w => w.DriftedFeatures).GroupBy(f => f, StringComparer.Ordinal)
            .Select(g => (Feature: g.Key, Share: g.Count() / (double)Windows.Count))
            .Where(f => f.Share >= share)
            .OrderByDescending(f => f.Share).ThenBy(f => f.Feature, StringComparer.Ordinal)];

    /// <summary>The share of windows in which the drift monitor raised anything.</summary>
    public double DriftFlagged => Windows.Count(w => w.Drift > Severity.None) / (double)Windows.Count;

    /// <summary>The drift monitor's diagnoses, most frequent first, with their shares.</summary>
    public IReadOnlyList<(string Diagnosis, double Share)> Diagnoses =>
        [.. Windows.GroupBy(w => w.Diagnosis).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count() / (double)Windows.Count))];
}
