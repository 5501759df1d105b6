namespace ModelMonitor.Statistics.Drift;

/// <summary>Whether a feature is numeric (ordered values) or categorical (labels).</summary>
public enum FeatureKind
{
    Numeric,
    Categorical,
}

/// <summary>The verdict for one feature.</summary>
public enum DriftVerdict
{
    /// <summary>No significant change, or a significant change too small to matter.</summary>
    Stable,

    /// <summary>Significant, with PSI between the warning and drift thresholds.</summary>
    Warning,

    /// <summary>Significant, with an effect size at or above its drift threshold.</summary>
    Drift,
}

/// <summary>One test on one feature: its statistic, and its raw and corrected p-value when it has one.</summary>
public sealed record TestResult(string Test, double Statistic, double? PValue, double? AdjustedPValue, double? Threshold);

/// <summary>Everything computed for one feature, reference against current.</summary>
public sealed record FeatureDriftResult(
    string Feature,
    FeatureKind Kind,
    long ReferenceCount,
    long CurrentCount,
    IReadOnlyList<TestResult> Tests,
    double PValue,
    double AdjustedPValue,
    string EffectSize,
    double EffectValue,
    DriftVerdict Verdict)
{
    /// <summary>What the comparison binned, reference against current; null where nothing was binned.</summary>
    public FeatureHistogram? Histogram { get; init; }
}

/// <summary>
/// A feature's reference and current samples as counts per bin, for plotting them side by side.
/// For a numeric feature the bins are the reference-quantile bins PSI compares: <see cref="Edges"/>
/// are the interior cut points (bin i holds edges[i−1] &lt; x ≤ edges[i]; the two end bins are open),
/// and <see cref="Low"/> and <see cref="High"/> the smallest and largest value seen in either sample,
/// which close the end bins for a plot. For a categorical feature, <see cref="Categories"/> names
/// the bins and the edges are empty.
/// </summary>
public sealed record FeatureHistogram(IReadOnlyList<double> Edges, IReadOnlyList<string> Categories, IReadOnlyList<double> Reference, IReadOnlyList<double> Current)
{
    public double? Low { get; init; }

    public double? High { get; init; }
}

/// <summary>
/// Compares features reference against current with the tests that fit their type: KS, PSI,
/// normed Wasserstein and Jensen-Shannon for numeric features; chi-square, PSI and Jensen-Shannon
/// for categorical ones. The significance test is KS (numeric) or chi-square (categorical); its
/// p-values are corrected across the family of features before verdicts are drawn.
/// </summary>
public static class FeatureDrift
{
    /// <summary>The raw comparison of one numeric feature (no correction yet).</summary>
    public static FeatureDriftResult Numeric(string feature, ReadOnlySpan<double> reference, ReadOnlySpan<double> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);

        // Validate, copy and sort once; every test below works on the sorted samples.
        SampleGuard.RequireFinite(reference, feature, "reference");
        SampleGuard.RequireFinite(current, feature, "current");
        var sortedReference = reference.ToArray();
        var sortedCurrent = current.ToArray();
        KolmogorovSmirnov.SortBoth(sortedReference, sortedCurrent);
        var psi = PopulationStability.Binned(QuantileBins.FromSortedReference(sortedReference, thresholds.Bins), sortedReference, sortedCurrent, thresholds.PsiEpsilon);
        return NumericSorted(feature, sortedReference, sortedCurrent, Descriptive.StandardDeviation(reference), psi, thresholds);
    }

    /// <summary>
    /// The raw comparison of one numeric feature against a reference frozen beforehand: only the
    /// current window is validated, sorted and binned.
    /// </summary>
    public static FeatureDriftResult Numeric(string feature, FrozenNumericReference reference, ReadOnlySpan<double> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(thresholds);
        SampleGuard.RequireFinite(current, feature, "current");
        var sortedCurrent = current.ToArray();
        Array.Sort(sortedCurrent);
        var currentCounts = reference.Bins.Count(sortedCurrent);
        var referenceCounts = reference.BinCounts.ToArray();
        var psi = new PsiResult(PopulationStability.FromCounts(referenceCounts, currentCounts, thresholds.PsiEpsilon), referenceCounts, currentCounts, reference.Bins.Edges);
        return NumericSorted(feature, reference.Sorted, sortedCurrent, reference.StandardDeviation, psi, thresholds);
    }

    private static FeatureDriftResult NumericSorted(string feature, ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double referenceStd, PsiResult psi, DriftThresholds thresholds)
    {
        var ks = KolmogorovSmirnov.TwoSampleSorted(sortedReference, sortedCurrent);
        var wasserstein = Wasserstein.DistanceSorted(sortedReference, sortedCurrent);
        var normed = Wasserstein.Normalize(wasserstein, referenceStd);
        var js = JensenShannon.Distance([.. psi.ReferenceCounts], [.. psi.CurrentCounts]);
        TestResult[] tests =
        [
            new("ks", ks.Statistic, ks.PValue, null, null),
            new("psi", psi.Psi, null, null, thresholds.PsiDrift),
            new("wasserstein", wasserstein, null, null, null),
            new("wasserstein_normed", normed, null, null, thresholds.NormedWasserstein),
            new("jensen_shannon", js, null, null, thresholds.JensenShannon),
        ];
        var histogram = new FeatureHistogram(psi.Edges, [], psi.ReferenceCounts, psi.CurrentCounts)
        {
            Low = Math.Min(sortedReference[0], sortedCurrent[0]),
            High = Math.Max(sortedReference[^1], sortedCurrent[^1]),
        };
        return new FeatureDriftResult(feature, FeatureKind.Numeric, sortedReference.Length, sortedCurrent.Length, tests, ks.PValue, ks.PValue, "wasserstein_normed", normed, DriftVerdict.Stable)
        {
            Histogram = histogram,
        };
    }

    /// <summary>The raw comparison of one categorical feature (no correction yet).</summary>
    public static FeatureDriftResult Categorical(string feature, IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var (left, right, names) = Categories.Align(reference, current);
        var referenceCount = (long)left.Sum();
        var currentCount = (long)right.Sum();
        if (referenceCount == 0 || currentCount == 0)
        {
            throw new StatisticsInputException($"Column '{feature}': the {(referenceCount == 0 ? "reference" : "current")} sample is empty.");
        }

        var chi2 = ChiSquare.Homogeneity(left, right);
        var psi = PopulationStability.FromCounts(left, right, thresholds.PsiEpsilon);
        var js = JensenShannon.Distance(left, right);
        TestResult[] tests =
        [
            new("chi_square", chi2.Statistic, chi2.PValue, null, null),
            new("psi", psi, null, null, thresholds.PsiDrift),
            new("jensen_shannon", js, null, null, thresholds.JensenShannon),
        ];
        return new FeatureDriftResult(feature, FeatureKind.Categorical, referenceCount, currentCount, tests, chi2.PValue, chi2.PValue, "jensen_shannon", js, DriftVerdict.Stable)
        {
            Histogram = new FeatureHistogram([], names, left, right),
        };
    }

    /// <summary>Corrects the family's p-values and draws each feature's verdict.</summary>
    public static IReadOnlyList<FeatureDriftResult> Decide(IReadOnlyList<FeatureDriftResult> features, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(thresholds);
        var adjusted = MultipleTesting.Adjust(features.Select(f => f.PValue).ToArray(), thresholds.Correction);
        return DecideWith(features, adjusted, thresholds);
    }

    /// <summary>Draws each feature's verdict from adjusted p-values computed elsewhere (see <see cref="SignalGroups.Decide"/>).</summary>
    public static IReadOnlyList<FeatureDriftResult> DecideWith(IReadOnlyList<FeatureDriftResult> features, IReadOnlyList<double> adjusted, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(adjusted);
        ArgumentNullException.ThrowIfNull(thresholds);
        var decided = new FeatureDriftResult[features.Count];
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            var tests = feature.Tests.Select(t => t.PValue is null ? t : t with { AdjustedPValue = adjusted[i] }).ToArray();
            decided[i] = feature with { Tests = tests, AdjustedPValue = adjusted[i], Verdict = Verdict(tests, adjusted[i], thresholds) };
        }

        return decided;
    }

    private static DriftVerdict Verdict(IReadOnlyList<TestResult> tests, double adjustedPValue, DriftThresholds thresholds)
    {
        if (!(adjustedPValue < thresholds.Alpha))
        {
            return DriftVerdict.Stable;
        }

        var psi = tests.First(t => t.Test == "psi").Statistic;
        var effectDrift = psi >= thresholds.PsiDrift
            || tests.Any(t => t.Test == "wasserstein_normed" && t.Statistic >= thresholds.NormedWasserstein)
            || tests.Any(t => t.Test == "jensen_shannon" && t.Statistic >= thresholds.JensenShannon);
        if (effectDrift)
        {
            return DriftVerdict.Drift;
        }

        return psi >= thresholds.PsiWarning ? DriftVerdict.Warning : DriftVerdict.Stable;
    }
}
