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
        if (bins < 2)
        {
            throw new StatisticsInputException($"At least 2 bins are needed; got {bins}.");
        }

        if (sortedReference.IsEmpty)
        {
            throw new StatisticsInputException("Bins need a non-empty reference sample.");
        }

        var cuts = new List<double>(bins - 1);
        for (var i = 1; i < bins; i++)
        {
            var edge = Quantile(sortedReference, (double)i / bins);
            if (cuts.Count == 0 || edge > cuts[^1])
            {
                cuts.Add(edge);
            }
        }

        return new QuantileBins([.. cuts]);
    }

    /// <summary>numpy.quantile(method='linear') on sorted data, including numpy's two-sided lerp.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
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
