namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Increasing isotonic regression of outcomes on scores, step for step as scikit-learn's
/// <c>IsotonicRegression(increasing=True, out_of_bounds="clip")</c>: sort by (score, outcome); merge
/// scores less than 1e-15 apart (numpy's float64 resolution) into one point whose outcome is their
/// mean and whose weight is their count; pool adjacent violators; drop interior breakpoints whose
/// value equals both neighbours'; predict by linear interpolation between breakpoints (SciPy's
/// <c>interp1d</c>), clipping scores outside the fitted range to its ends.
/// </summary>
public static class IsotonicRegression
{
    /// <summary>numpy's <c>finfo(float64).resolution</c>: the tie tolerance of scikit-learn's <c>_make_unique</c>.</summary>
    public const double TieResolution = 1e-15;

    public static CalibrationMap Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> outcomes)
    {
        if (scores.Length != outcomes.Length)
        {
            throw new StatisticsInputException($"{scores.Length} scores but {outcomes.Length} outcomes.");
        }

        SampleGuard.RequireFinite(scores, "score", "calibration");
        SampleGuard.RequireFinite(outcomes, "outcome", "calibration");

        // np.lexsort((y, X)): by score, then by outcome.
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var x = scores.ToArray();
        var y = outcomes.ToArray();
        Array.Sort(order, (a, b) => x[a] != x[b] ? x[a].CompareTo(x[b]) : y[a] != y[b] ? y[a].CompareTo(y[b]) : a.CompareTo(b));

        var (uniqueX, uniqueY, weights) = MakeUnique(order, x, y);
        PoolAdjacentViolators(uniqueY, weights);
        var (thresholds, values) = TrimDuplicates(uniqueX, uniqueY);
        return new CalibrationMap
        {
            Method = CalibrationMethod.Isotonic,
            Thresholds = thresholds,
            Values = values,
            SampleCount = scores.Length,
        };
    }

    /// <summary>SciPy's <c>interp1d(kind="linear")</c> after clipping to [first, last] threshold.</summary>
    public static double Interpolate(IReadOnlyList<double> thresholds, IReadOnlyList<double> values, double score)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        var n = thresholds.Count;
        if (n == 1)
        {
            return values[0];
        }

        var t = Math.Clamp(score, thresholds[0], thresholds[n - 1]);

        // searchsorted(side="left"), clipped to 1..n-1: the first threshold >= t.
        int low = 0, high = n;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (thresholds[middle] < t)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var hi = Math.Clamp(low, 1, n - 1);
        var lo = hi - 1;
        var slope = (values[hi] - values[lo]) / (thresholds[hi] - thresholds[lo]);
        return (slope * (t - thresholds[lo])) + values[lo];
    }

    /// <summary>scikit-learn's <c>_make_unique</c>: averages outcomes of scores within 1e-15 of the first of their run.</summary>
    private static (List<double> X, List<double> Y, List<double> W) MakeUnique(int[] order, double[] x, double[] y)
    {
        var outX = new List<double>();
        var outY = new List<double>();
        var outW = new List<double>();
        var currentX = x[order[0]];
        double currentY = 0, currentWeight = 0;
        foreach (var j in order)
        {
            if (x[j] - currentX >= TieResolution)
            {
                outX.Add(currentX);
                outW.Add(currentWeight);
                outY.Add(currentY / currentWeight);
                currentX = x[j];
                currentWeight = 1;
                currentY = y[j];
            }
            else
            {
                currentWeight += 1;
                currentY += y[j];
            }
        }

        outX.Add(currentX);
        outW.Add(currentWeight);
        outY.Add(currentY / currentWeight);
        return (outX, outY, outW);
    }

    /// <summary>
    /// scikit-learn's <c>_inplace_contiguous_isotonic_regression</c>: single-pass PAVA that pools each
    /// whole decreasing run at once and backtracks, in the same order so the means round the same way.
    /// </summary>
    private static void PoolAdjacentViolators(List<double> y, List<double> w)
    {
        var n = y.Count;
        var target = new int[n];
        for (var t = 0; t < n; t++)
        {
            target[t] = t;
        }

        var i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            if (k == n)
            {
                break;
            }

            if (y[i] < y[k])
            {
                i = k;
                continue;
            }

            var sumWy = w[i] * y[i];
            var sumW = w[i];
            while (true)
            {
                var previousY = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || previousY < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0)
                    {
                        i = target[i - 1];
                    }

                    break;
                }
            }
        }

        i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            for (var j = i + 1; j < k; j++)
            {
                y[j] = y[i];
            }

            i = k;
        }
    }

    /// <summary>Keeps the ends and every breakpoint whose value differs from a neighbour's.</summary>
    private static (double[] X, double[] Y) TrimDuplicates(List<double> x, List<double> y)
    {
        var keptX = new List<double>(x.Count);
        var keptY = new List<double>(y.Count);
        for (var i = 0; i < x.Count; i++)
        {
            if (i == 0 || i == x.Count - 1 || y[i] != y[i - 1] || y[i] != y[i + 1])
            {
                keptX.Add(x[i]);
                keptY.Add(y[i]);
            }
        }

        return ([.. keptX], [.. keptY]);
    }
}
