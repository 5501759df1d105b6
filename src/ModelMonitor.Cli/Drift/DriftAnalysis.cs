using System.Globalization;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Cli.Drift;

/// <summary>Types the columns, runs the tests that fit each type, and assembles the report.</summary>
internal static class DriftAnalysis
{
    public static DriftReport Analyze(
        TabularData reference,
        TabularData current,
        IReadOnlyList<string>? requested,
        IReadOnlyDictionary<string, FeatureKind> typeOverrides,
        DriftThresholds thresholds,
        TextWriter progress)
    {
        var shared = reference.Columns.Where(c => current.IndexOf(c) >= 0).ToList();
        var columns = requested is { Count: > 0 } ? requested.ToList() : shared;
        foreach (var column in columns.Concat(typeOverrides.Keys))
        {
            if (reference.IndexOf(column) < 0 || current.IndexOf(column) < 0)
            {
                var side = reference.IndexOf(column) < 0 ? reference : current;
                throw new CliInputException($"Unknown column '{column}' in {side.Source}; its columns are: {string.Join(", ", side.Columns)}.");
            }
        }

        var skipped = reference.Columns.Concat(current.Columns).Distinct().Where(c => !shared.Contains(c)).ToArray();
        var raw = new List<(FeatureDriftResult Result, long ReferenceMissing, long CurrentMissing)>();
        foreach (var column in columns)
        {
            var left = reference.Values(column).ToList();
            var right = current.Values(column).ToList();
            var kind = typeOverrides.TryGetValue(column, out var forced) ? forced : InferKind(left, right);
            progress.WriteLine($"modelmonitor: comparing {column} ({kind.ToString().ToLowerInvariant()})");
            var referenceMissing = left.Count(v => v is null);
            var currentMissing = right.Count(v => v is null);
            var result = kind == FeatureKind.Numeric
                ? FeatureDrift.Numeric(column, Numbers(left, column, reference.Source), Numbers(right, column, current.Source), thresholds)
                : FeatureDrift.Categorical(column, Categories.Count(left.OfType<string>()), Categories.Count(right.OfType<string>()), thresholds);
            raw.Add((result, referenceMissing, currentMissing));
        }

        var decided = FeatureDrift.Decide(raw.Select(r => r.Result).ToArray(), thresholds);
        var reports = decided.Select((d, i) => ColumnReport.From(d, raw[i].ReferenceMissing, raw[i].CurrentMissing)).ToArray();
        var drifted = decided.Count(d => d.Verdict == DriftVerdict.Drift);
        return new DriftReport(
            new DatasetSummary(reference.Source, reference.Rows.Count),
            new DatasetSummary(current.Source, current.Rows.Count),
            new ThresholdSummary(thresholds.Alpha, thresholds.Correction.ToString(), thresholds.PsiWarning, thresholds.PsiDrift, thresholds.NormedWasserstein, thresholds.JensenShannon, thresholds.Bins, thresholds.PsiEpsilon),
            reports,
            skipped,
            reports.Length,
            drifted,
            reports.Length == 0 ? 0 : (double)drifted / reports.Length,
            drifted > 0);
    }

    /// <summary>Numeric when every present value on both sides parses as a number; otherwise categorical.</summary>
    internal static FeatureKind InferKind(IEnumerable<string?> reference, IEnumerable<string?> current)
    {
        var present = reference.Concat(current).OfType<string>().ToList();
        return present.Count > 0 && present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? FeatureKind.Numeric
            : FeatureKind.Categorical;
    }

    private static double[] Numbers(List<string?> values, string column, string source)
    {
        var numbers = new List<double>(values.Count);
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw new CliInputException($"Column '{column}' in {source} is numeric but holds '{value}'; use --type {column}=categorical to compare it as categories.");
            }

            numbers.Add(number);
        }

        return [.. numbers];
    }
}
