using System.Globalization;
using System.Text;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>The study as the markdown of docs/estimation.md's validation table.</summary>
internal static class ValidationTable
{
    /// <param name="study">The default estimator under every condition.</param>
    /// <param name="variants">The same halvings and random windows, each with another estimator (the default among them).</param>
    public static string Markdown(ValidationStudy study, IReadOnlyList<ValidationStudy> variants)
    {
        var s = study.Settings;
        var corpora = study.Corpora;
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        var methods = string.Join(", ", study.CalibrationMethods.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} in {m.Value}"));
        Line($"sst2-tiny on SST-2 dev ({corpora.Clean.Count} sentences, accuracy {corpora.Clean.Accuracy:F4}): {s.Splits} random halvings (seed {s.Seed}). Each fits the default estimator on one half (calibration map: {methods}) and draws {s.WindowsPerSplit} windows per condition from the other half, {s.Splits * s.WindowsPerSplit} windows per condition. Estimated and realized are means over the windows. The error is the mean absolute error; in brackets, the error of the naive estimate that ignores the window (the calibration half's own value). Inside (below / above): where the realized value lies against the 95% interval. The drift monitor judges the same windows without labels against the calibration half.");
        Line($"");
        Line($"| condition | accuracy: estimated / realized | error (naive) | inside (below / above) | macro F1: estimated / realized | error (naive) | inside (below / above) | drift monitor: windows flagged |");
        Line($"| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var c in study.All)
        {
            var diagnoses = string.Join(", ", c.Diagnoses.Where(d => d.Diagnosis != "none").Select(d => $"{d.Diagnosis} {Percent(d.Share, 0)}"));
            Line($"| **{c.Name}**: {c.Description} | {Pair(c.Accuracy)} | {Error(c.Accuracy)} | {Coverage(c.Accuracy)} | {Pair(c.F1Macro)} | {Error(c.F1Macro)} | {Coverage(c.F1Macro)} | {Percent(c.DriftFlagged, 0)}{(diagnoses.Length > 0 ? $" ({diagnoses})" : string.Empty)} |");
        }

        var random = study[Conditions.Random];
        var banking = study[Conditions.Banking77];
        Line($"");
        Line($"- Mean width of the 95% interval on windows of {s.WindowSize}: accuracy {random.Accuracy.MeanWidth:F3}, macro F1 {random.F1Macro.MeanWidth:F3}.");
        Line($"- Typos changed {Percent(corpora.TypedWordShare, 1)} of the words; dev accuracy {corpora.Clean.Accuracy:F4} → {corpora.Typed.Accuracy:F4}, mean winning probability {corpora.Clean.MeanConfidence:F4} → {corpora.Typed.MeanConfidence:F4}. Features drifting in at least half of the windows: {Features(study[Conditions.Typos])}.");
        Line($"- Concept drift flipped {Percent(corpora.FlippedShare, 1)} of the labels; dev accuracy {corpora.Flipped.Accuracy:F4}.");
        Line($"- Sharpening raised the mean winning probability from {corpora.Clean.MeanConfidence:F4} to {corpora.Sharpened.MeanConfidence:F4}; the predicted labels are unchanged.");
        Line($"- banking77 ({corpora.Banking.Count} queries): mean winning probability {corpora.Banking.MeanConfidence:F4} (SST-2 dev: {corpora.Clean.MeanConfidence:F4}), {Percent(corpora.Banking.Predicted.Count(p => p == 1) / (double)corpora.Banking.Count, 1)} called POSITIVE. Features drifting in at least half of its windows: {Features(banking)}.");
        Line($"");
        Line($"Random windows by estimator (same halvings and windows; the floor is the error of an estimate that knew the dev set's true accuracy, {corpora.Clean.Accuracy:F4}, so window sampling alone):");
        Line($"");
        Line($"| estimator | windows of {s.WindowSize}: accuracy error (floor) | inside (below / above) | windows of {s.LargeWindowSize}: accuracy error (floor) | inside (below / above) |");
        Line($"| --- | --- | --- | --- | --- |");
        foreach (var variant in variants)
        {
            var small = variant[Conditions.Random];
            var large = variant[Conditions.RandomLarge];
            Line($"| {variant.Settings.Estimator.Name} | {small.Accuracy.MeanAbsoluteError:F3} ({small.FloorError(corpora.Clean.Accuracy):F3}) | {Coverage(small.Accuracy)} | {large.Accuracy.MeanAbsoluteError:F3} ({large.FloorError(corpora.Clean.Accuracy):F3}) | {Coverage(large.Accuracy)} |");
        }

        return md.ToString();
    }

    private static string Features(ConditionResult condition) =>
        string.Join(", ", condition.DriftingFeatures(0.5).Select(f => $"{f.Feature} {Percent(f.Share, 0)}"));

    private static string Pair(MetricSummary m) =>
        m.MeanRealized is { } realized ? Invariant($"{m.MeanEstimated:F3} / {realized:F3}") : Invariant($"{m.MeanEstimated:F3} / —");

    private static string Error(MetricSummary m) => m.MeanAbsoluteError is { } error ? Invariant($"{error:F3} ({m.BaselineError:F3})") : "—";

    private static string Coverage(MetricSummary m) =>
        m.Inside is { } inside ? $"{Percent(inside, 1)} ({Percent(m.Below!.Value, 1)} / {Percent(m.Above!.Value, 1)})" : "—";

    /// <summary>A share as a percentage without the culture's space before the sign.</summary>
    private static string Percent(double share, int decimals) => (share * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
