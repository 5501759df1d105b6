namespace ModelMonitor.Statistics;

/// <summary>
/// Exact two-sided two-sample KS probabilities by lattice-path counting, as SciPy computes them
/// (Hodges 1958; the 1 − p recursion of Viehmann 2021), operation for operation.
/// </summary>
internal static class KsExactPaths
{
    /// <summary>Equal sizes: the proportion of paths that leave the band |x − y| &lt; h.</summary>
    public static double OutsideSquare(long n, long h)
    {
        var total = 0.0;
        var k = n / h;
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }

            total = p1 * (1.0 - total);
            k--;
        }

        return 2 * total;
    }

    /// <summary>Unequal sizes: one sliding column of the path-count matrix, kept as 1 − p.</summary>
    public static double OutsideInsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min((2 * maxj) + 2, n + 1);
        var column = new double[lenA];
        Array.Fill(column, 1.0);
        for (var x = minj; x < maxj; x++)
        {
            column[x] = 0.0;
        }

        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = ((column[jj + minj - lastminj] * i) + (val * j)) / (i + j);
                column[jj] = val;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                // A slice assignment in the original: indices past the end are ignored.
                for (var x = maxj - minj; x < Math.Min(maxj - minj + (lastlen - curlen), lenA); x++)
                {
                    column[x] = 1;
                }
            }
        }

        return column[maxj - minj - 1];
    }
}
