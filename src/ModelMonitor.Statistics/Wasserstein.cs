namespace ModelMonitor.Statistics;

/// <summary>
/// First Wasserstein distance between two samples, as <c>scipy.stats.wasserstein_distance</c>: the
/// integral of |F_u − F_v| over the merged sorted values, summed in numpy's order.
/// </summary>
public static class Wasserstein
{
    public static double Distance(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, string column = "value")
    {
        SampleGuard.RequireFinite(reference, column, "reference");
        SampleGuard.RequireFinite(current, column, "current");
        var u = reference.ToArray();
        var v = current.ToArray();
        KolmogorovSmirnov.SortBoth(u, v);
        return DistanceSorted(u, v);
    }

    /// <summary>The distance for samples already sorted ascending.</summary>
    public static double DistanceSorted(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (u.IsEmpty || v.IsEmpty)
        {
            throw new StatisticsInputException("Wasserstein distance needs two non-empty samples.");
        }

        double nu = u.Length;
        double nv = v.Length;
        var total = u.Length + v.Length;
        var sum = new NumpySum.Accumulator();
        int mi = 0, mj = 0; // merge pointers
        int cu = 0, cv = 0; // how many of u, v are <= the current value
        var current = NextMerged(u, v, ref mi, ref mj);
        for (var k = 0; k < total - 1; k++)
        {
            while (cu < u.Length && u[cu] <= current)
            {
                cu++;
            }

            while (cv < v.Length && v[cv] <= current)
            {
                cv++;
            }

            var next = NextMerged(u, v, ref mi, ref mj);
            sum.Add(Math.Abs((cu / nu) - (cv / nv)) * (next - current));
            current = next;
        }

        return sum.Total;
    }

    /// <summary>Normed distance: divided by the reference's standard deviation (ddof 0); see <see cref="Normalize"/>.</summary>
    public static double NormedDistance(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, string column = "value")
    {
        var distance = Distance(reference, current, column);
        return Normalize(distance, Descriptive.StandardDeviation(reference));
    }

    /// <summary>
    /// distance / referenceStd. A constant reference (std 0) gives 0 when the distance is 0 and
    /// +∞ otherwise: any movement away from a constant is infinitely many reference spreads.
    /// </summary>
    public static double Normalize(double distance, double referenceStd) =>
        referenceStd > 0 ? distance / referenceStd : distance == 0 ? 0 : double.PositiveInfinity;

    private static double NextMerged(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ref int i, ref int j)
    {
        if (j >= v.Length || (i < u.Length && u[i] <= v[j]))
        {
            return u[i++];
        }

        return v[j++];
    }
}
