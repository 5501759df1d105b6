namespace ModelMonitor.Statistics.Drift;

/// <summary>
/// A numeric reference sample prepared once: sorted, with its standard deviation and its quantile
/// bins. A live monitor compares many windows against one reference, so each evaluation then
/// costs only the current window.
/// </summary>
public sealed class FrozenNumericReference
{
    private readonly double[] sorted;

    private FrozenNumericReference(double[] sorted, double standardDeviation, QuantileBins bins, double[] binCounts)
    {
        this.sorted = sorted;
        StandardDeviation = standardDeviation;
        Bins = bins;
        BinCounts = binCounts;
    }

    public ReadOnlySpan<double> Sorted => sorted;

    public int Count => sorted.Length;

    public double StandardDeviation { get; }

    public QuantileBins Bins { get; }

    public IReadOnlyList<double> BinCounts { get; }

    public static FrozenNumericReference Create(string feature, ReadOnlySpan<double> values, int bins)
    {
        SampleGuard.RequireFinite(values, feature, "reference");

        // The standard deviation comes from the values in their given order, as numpy sums them,
        // so the normed Wasserstein distance is bit-identical to the unfrozen comparison.
        var standardDeviation = Descriptive.StandardDeviation(values);
        var copy = values.ToArray();
        Array.Sort(copy);
        var cuts = QuantileBins.FromSortedReference(copy, bins);
        return new FrozenNumericReference(copy, standardDeviation, cuts, cuts.Count(copy));
    }
}
