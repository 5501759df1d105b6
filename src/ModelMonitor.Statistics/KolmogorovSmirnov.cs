namespace ModelMonitor.Statistics;

/// <summary>How a KS p-value was computed.</summary>
public enum KsMethod
{
    /// <summary>Exact lattice-path probability (both samples at most <see cref="KolmogorovSmirnov.MaxExactSize"/>).</summary>
    Exact,

    /// <summary>The two-sided Kolmogorov distribution at the effective size n1·n2/(n1+n2).</summary>
    Asymptotic,
}

/// <summary>The two-sample KS statistic D and its two-sided p-value.</summary>
public readonly record struct KsResult(double Statistic, double PValue, KsMethod Method);

/// <summary>
/// Two-sample Kolmogorov-Smirnov test, two-sided, matching <c>scipy.stats.ks_2samp(method='auto')</c>:
/// exact when both samples have at most 10,000 values, asymptotic otherwise, ties handled by
/// evaluating both empirical CDFs at every observed value.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>SciPy's MAX_AUTO_N: above this sample size 'auto' uses the asymptotic distribution.</summary>
    public const int MaxExactSize = 10_000;

    /// <summary>Above this total size the two samples are sorted in parallel.</summary>
    private const int ParallelSortThreshold = 65_536;

    public static KsResult TwoSample(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, string column = "value")
    {
        SampleGuard.RequireFinite(reference, column, "reference");
        SampleGuard.RequireFinite(current, column, "current");
        var a = reference.ToArray();
        var b = current.ToArray();
        SortBoth(a, b);
        return TwoSampleSorted(a, b);
    }

    /// <summary>The test on samples already sorted ascending (no copy, no allocation).</summary>
    public static KsResult TwoSampleSorted(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            throw new StatisticsInputException("Data passed to the KS test must not be empty.");
        }

        var d = Statistic(a, b);
        long n1 = a.Length;
        long n2 = b.Length;
        if (Math.Max(n1, n2) <= MaxExactSize && TryExact(n1, n2, ref d, out var exact))
        {
            return new KsResult(d, Math.Clamp(exact, 0, 1), KsMethod.Exact);
        }

        double m = Math.Max(n1, n2);
        double n = Math.Min(n1, n2);
        var effective = Math.Round(m * n / (m + n), MidpointRounding.ToEven);
        var p = KolmogorovDistribution.Survival((long)effective, d);
        return new KsResult(d, Math.Clamp(p, 0, 1), KsMethod.Asymptotic);
    }

    /// <summary>Sorts two arrays, concurrently when they are large: sorting dominates the test's cost.</summary>
    public static void SortBoth(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length + b.Length >= ParallelSortThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.Invoke(() => Array.Sort(a), () => Array.Sort(b));
        }
        else
        {
            Array.Sort(a);
            Array.Sort(b);
        }
    }

    /// <summary>
    /// D = max |F1 − F2| over every observed value, with F evaluated as count(x ≤ v) / n in double
    /// precision, exactly as SciPy's searchsorted(side='right') / n does.
    /// </summary>
    internal static double Statistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double n1 = a.Length;
        double n2 = b.Length;
        int i = 0, j = 0;
        var max = double.NegativeInfinity;
        var min = double.PositiveInfinity;
        while (i < a.Length || j < b.Length)
        {
            var v = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= v)
            {
                i++;
            }

            while (j < b.Length && b[j] <= v)
            {
                j++;
            }

            var diff = (i / n1) - (j / n2);
            if (diff > max)
            {
                max = diff;
            }

            if (diff < min)
            {
                min = diff;
            }
        }

        var minS = Math.Clamp(-min, 0, 1);
        return minS > max ? minS : max;
    }

    /// <summary>
    /// SciPy's _attempt_exact_2kssamp: rounds D onto the lattice h / lcm(n1, n2), then counts paths.
    /// Returns false (falling back to asymptotic) when the computation is not finite or not a probability.
    /// </summary>
    private static bool TryExact(long n1, long n2, ref double d, out double p)
    {
        var g = Gcd(n1, n2);
        var lcm = (n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = h * 1.0 / lcm;
        if (h == 0)
        {
            p = 1.0;
            return true;
        }

        p = n1 == n2 ? KsExactPaths.OutsideSquare(n1, h) : KsExactPaths.OutsideInsideMethod(n1, n2, g, h);
        return double.IsFinite(p) && p >= 0 && p <= 1;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
