using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Cli.Drift;

/// <summary>The offline drift report: per-column results and the overall share of drifted columns.</summary>
internal sealed record DriftReport(
    DatasetSummary Reference,
    DatasetSummary Current,
    ThresholdSummary Thresholds,
    IReadOnlyList<ColumnReport> Columns,
    IReadOnlyList<string> SkippedColumns,
    int ColumnsCompared,
    int DriftedColumns,
    double DriftShare,
    bool DriftDetected);

internal sealed record DatasetSummary(string Path, int Rows);

internal sealed record ThresholdSummary(double Alpha, string Correction, double PsiWarning, double PsiDrift, double WassersteinNormed, double JensenShannon, int Bins, double PsiEpsilon);

internal sealed record ColumnReport(
    string Name,
    string Kind,
    long ReferenceCount,
    long CurrentCount,
    long ReferenceMissing,
    long CurrentMissing,
    IReadOnlyList<TestReport> Tests,
    string EffectSize,
    double EffectValue,
    string Verdict)
{
    public static ColumnReport From(FeatureDriftResult result, long referenceMissing, long currentMissing) => new(
        result.Feature,
        result.Kind == FeatureKind.Numeric ? "numeric" : "categorical",
        result.ReferenceCount,
        result.CurrentCount,
        referenceMissing,
        currentMissing,
        result.Tests.Select(t => new TestReport(t.Test, t.Statistic, t.PValue, t.AdjustedPValue, t.Threshold)).ToArray(),
        result.EffectSize,
        result.EffectValue,
        result.Verdict.ToString().ToLowerInvariant());
}

internal sealed record TestReport(string Test, double Statistic, double? PValue, double? AdjustedPValue, double? Threshold);
