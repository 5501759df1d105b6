namespace ModelMonitor.Statistics;

/// <summary>
/// Numeric bins cut at reference quantiles. The interior edges are the reference quantiles at
/// 1/b, 2/b, … (b−1)/b (numpy's default 'linear' method), de-duplicated, so heavily tied data
/// yields fewer bins. Bin i holds edges[i−1] &lt; x ≤ edges[i]; the two end bins are open, so
/// values outside the reference range fall into them.
/// </summary>
public sealed class QuantileBins
{
    private readonly double[] edges;

    private QuantileBins(double[] edges) => this.edges = edges;

    public IReadOnlyList<double> Edges => edges;

    public int BinCount => edges.Length + 1;

    /// <summary>Cuts bins from a reference sample sorted ascending.</summary>
    public static QuantileBins FromSortedReference(ReadOnlySpan<double> sortedReference, int bins)
    {
        Validate(sortedReference.Length, bins);
        return Cut(sortedReference, bins);
    }

    /// <summary>
    /// Cuts bins from an unsorted reference without sorting it: the few order statistics the
    /// quantiles need are found by multi-target selection, O(n log b), as numpy's partition does.
    /// </summary>
    public static QuantileBins FromReference(ReadOnlySpan<double> reference, int bins)
    {
        Validate(reference.Length, bins);
        var values = reference.ToArray();
        var positions = new SortedSet<int>();
        for (var i = 1; i < bins; i++)
        {
            var previous = (int)Math.Floor((values.Length - 1) * ((double)i / bins));
            positions.Add(Math.Min(previous, values.Length - 1));
            positions.Add(Math.Min(previous + 1, values.Length - 1));
        }

        Selection.SelectMany(values, [.. positions]);
        return Cut(values, bins);
    }

    private static void Validate(int length, int bins)
    {
        if (bins < 2)
        {
            throw new StatisticsInputException($"At least 2 bins are needed; got {bins}.");
        }

        if (length == 0)
        {
            throw new StatisticsInputException("Bins need a non-empty reference sample.");
        }
    }

    /// <summary>
    /// Edges at the quantiles 1/b … (b−1)/b of values whose needed order statistics are in place,
    /// keeping each only if it exceeds the last (de-duplication).
    /// </summary>
    private static QuantileBins Cut(ReadOnlySpan<double> selected, int bins)
    {
        var cuts = new List<double>(bins - 1);
        for (var i = 1; i < bins; i++)
        {
            var edge = QuantileAtSelected(selected, (double)i / bins);
            if (cuts.Count == 0 || edge > cuts[^1])
            {
                cuts.Add(edge);
            }
        }

        return new QuantileBins([.. cuts]);
    }

    /// <summary>numpy.quantile(method='linear') on sorted data, including numpy's two-sided lerp.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q) => QuantileAtSelected(sorted, q);

    /// <summary>The linear quantile, reading only the two order statistics it needs (already in place).</summary>
    private static double QuantileAtSelected(ReadOnlySpan<double> sorted, double q)
    {
        var virtualIndex = (sorted.Length - 1) * q;
        if (virtualIndex >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        if (virtualIndex < 0)
        {
            return sorted[0];
        }

        var previous = Math.Floor(virtualIndex);
        var gamma = virtualIndex - previous;
        var a = sorted[(int)previous];
        var b = sorted[(int)previous + 1];
        var difference = b - a;
        return gamma >= 0.5 ? b - (difference * (1 - gamma)) : a + (difference * gamma);
    }

    /// <summary>The bin of a value: how many edges lie strictly below it.</summary>
    public int BinOf(double value)
    {
        if (edges.Length <= 32)
        {
            // A branch-free count beats a binary search for the handful of edges PSI uses.
            var below = 0;
            foreach (var edge in edges)
            {
                below += edge < value ? 1 : 0;
            }

            return below;
        }

        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (edges[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public double[] Count(ReadOnlySpan<double> values)
    {
        var counts = new double[BinCount];
        foreach (var value in values)
        {
            counts[BinOf(value)]++;
        }

        return counts;
    }
}
