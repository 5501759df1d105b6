namespace ModelMonitor.Statistics;

/// <summary>
/// The one-sided Smirnov distribution: P(D_n⁺ ≥ x) by the Birnbaum-Tingey formula,
/// x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1}. Every term is positive, so the
/// sum has no cancellation; each term's logarithm, however, is the small difference of numbers
/// near ±10⁵ at large n, so it is accumulated in double-double arithmetic. This reaches the values
/// SciPy's cephes smirnov computes with double-double arithmetic to about 1e-11 relative.
/// </summary>
public static class Smirnov
{
    public static double Survival(long n, double x)
    {
        if (n <= 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        var last = (long)Math.Floor(n * (1 - x));
        var logs = new double[last + 1];
        var logBinomial = default(DoubleDouble);
        var maxLog = double.NegativeInfinity;
        for (long j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial.Add(Math.Log(n - j + 1));
                logBinomial.Add(-Math.Log(j));
            }

            var remaining = 1 - x - ((double)j / n);
            var logTerm = logBinomial;
            if (remaining > 0)
            {
                logTerm.AddProduct(n - j, Math.Log(remaining));
            }
            else if (n - j > 0)
            {
                logs[j] = double.NegativeInfinity;
                continue;
            }

            logTerm.AddProduct(j - 1, Math.Log(x + ((double)j / n)));
            logs[j] = logTerm.Value;
            maxLog = Math.Max(maxLog, logs[j]);
        }

        if (double.IsNegativeInfinity(maxLog))
        {
            return 0.0;
        }

        // Scale by the largest term, sum with compensation, then undo the scale.
        var sum = default(DoubleDouble);
        foreach (var logTerm in logs)
        {
            sum.Add(Math.Exp(logTerm - maxLog));
        }

        return Math.Clamp(Math.Exp(Math.Log(x) + maxLog + Math.Log(sum.Value)), 0.0, 1.0);
    }
}
