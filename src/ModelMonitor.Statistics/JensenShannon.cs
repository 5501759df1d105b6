namespace ModelMonitor.Statistics;

/// <summary>
/// Jensen-Shannon distance with base-2 logarithms, as <c>scipy.spatial.distance.jensenshannon(p, q, base=2)</c>,
/// over two histograms (bin or category counts) of the same length. 0 for equal distributions, 1 for disjoint ones.
/// </summary>
public static class JensenShannon
{
    public static double Distance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length || p.IsEmpty)
        {
            throw new StatisticsInputException($"Jensen-Shannon needs two histograms of the same non-zero length; got {p.Length} and {q.Length}.");
        }

        var pSum = NumpySum.Sum(p);
        var qSum = NumpySum.Sum(q);
        if (!(pSum > 0) || !(qSum > 0))
        {
            throw new StatisticsInputException("Jensen-Shannon needs histograms with positive totals.");
        }

        var left = new double[p.Length];
        var right = new double[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / pSum;
            var qi = q[i] / qSum;
            var mi = (pi + qi) / 2.0;
            left[i] = RelativeEntropy(pi, mi);
            right[i] = RelativeEntropy(qi, mi);
        }

        var js = NumpySum.Sum(left) + NumpySum.Sum(right);
        js /= Math.Log(2);

        // Rounding can leave a tiny negative where the distributions are equal; the distance is 0 there.
        return Math.Sqrt(Math.Max(js / 2.0, 0.0));
    }

    /// <summary>scipy.special.rel_entr: x·log(x/y), 0 when x is 0.</summary>
    private static double RelativeEntropy(double x, double y) =>
        x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
}
