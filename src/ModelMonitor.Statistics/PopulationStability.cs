namespace ModelMonitor.Statistics;

/// <summary>A PSI value with the histograms it was computed from.</summary>
public sealed record PsiResult(double Psi, IReadOnlyList<double> ReferenceCounts, IReadOnlyList<double> CurrentCounts, IReadOnlyList<double> Edges);

/// <summary>
/// Population Stability Index, Σ (q_i − p_i) · ln(q_i / p_i) over bins or categories, where p and q
/// are the reference and current proportions. An empty bin's proportion is replaced by
/// <see cref="DefaultEpsilon"/> (configurable) so the logarithm stays finite. Natural logarithm.
/// </summary>
public static class PopulationStability
{
    public const int DefaultBins = 10;
    public const double DefaultEpsilon = 1e-4;

    /// <summary>PSI of a numeric feature over <paramref name="bins"/> reference-quantile bins.</summary>
    public static PsiResult Numeric(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, int bins = DefaultBins, double epsilon = DefaultEpsilon, string column = "value")
    {
        SampleGuard.RequireFinite(reference, column, "reference");
        SampleGuard.RequireFinite(current, column, "current");
        return Binned(QuantileBins.FromReference(reference, bins), reference, current, epsilon);
    }

    /// <summary>PSI over bins already cut from the reference (the caller has validated both samples).</summary>
    public static PsiResult Binned(QuantileBins cuts, ReadOnlySpan<double> reference, ReadOnlySpan<double> current, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        double[] referenceCounts = [], currentCounts = [];
        if (reference.Length + current.Length >= 1 << 16 && Environment.ProcessorCount > 1)
        {
            var (left, right) = (reference.ToArray(), current.ToArray());
            Parallel.Invoke(() => referenceCounts = cuts.Count(left), () => currentCounts = cuts.Count(right));
        }
        else
        {
            referenceCounts = cuts.Count(reference);
            currentCounts = cuts.Count(current);
        }

        return new PsiResult(FromCounts(referenceCounts, currentCounts, epsilon), referenceCounts, currentCounts, cuts.Edges);
    }

    /// <summary>PSI of a categorical feature over the union of the categories seen on either side.</summary>
    public static PsiResult Categorical(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current, double epsilon = DefaultEpsilon)
    {
        var (referenceCounts, currentCounts, _) = Categories.Align(reference, current);
        return new PsiResult(FromCounts(referenceCounts, currentCounts, epsilon), referenceCounts, currentCounts, []);
    }

    /// <summary>PSI from two aligned histograms.</summary>
    public static double FromCounts(ReadOnlySpan<double> referenceCounts, ReadOnlySpan<double> currentCounts, double epsilon = DefaultEpsilon)
    {
        if (referenceCounts.Length != currentCounts.Length || referenceCounts.IsEmpty)
        {
            throw new StatisticsInputException("PSI needs two histograms of the same non-zero length.");
        }

        if (!(epsilon > 0))
        {
            throw new StatisticsInputException($"The PSI epsilon must be positive; got {epsilon}.");
        }

        var referenceTotal = NumpySum.Sum(referenceCounts);
        var currentTotal = NumpySum.Sum(currentCounts);
        if (!(referenceTotal > 0) || !(currentTotal > 0))
        {
            throw new StatisticsInputException("PSI needs non-empty reference and current samples.");
        }

        var terms = new double[referenceCounts.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            var p = referenceCounts[i] / referenceTotal;
            var q = currentCounts[i] / currentTotal;
            p = p == 0 ? epsilon : p;
            q = q == 0 ? epsilon : q;
            terms[i] = (q - p) * Math.Log(q / p);
        }

        return NumpySum.Sum(terms);
    }
}
