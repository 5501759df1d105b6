namespace ModelMonitor.Statistics;

/// <summary>
/// The one-sided Smirnov distribution: P(D_n⁺ ≥ x) by the Birnbaum-Tingey formula,
/// x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^{n−j} (x + j/n)^{j−1}. Every term is positive, so
/// summing them in log space keeps full relative precision in the tail (SciPy's cephes smirnov
/// reaches the same values with double-double arithmetic).
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
        var logX = Math.Log(x);
        var logBinomial = 0.0;
        var sum = 0.0;
        var maxLog = double.NegativeInfinity;

        // Two passes avoid overflow and underflow: find the largest term's log, then sum exp(log − max).
        var logs = new double[last + 1];
        for (long j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log(n - j + 1) - Math.Log(j);
            }

            var remaining = 1 - x - ((double)j / n);
            double logTerm;
            if (remaining <= 0)
            {
                logTerm = n - j == 0 ? logBinomial + ((j - 1) * Math.Log(x + ((double)j / n))) : double.NegativeInfinity;
            }
            else
            {
                logTerm = logBinomial + ((n - j) * Math.Log(remaining)) + ((j - 1) * Math.Log(x + ((double)j / n)));
            }

            logs[j] = logTerm;
            maxLog = Math.Max(maxLog, logTerm);
        }

        if (double.IsNegativeInfinity(maxLog))
        {
            return 0.0;
        }

        foreach (var logTerm in logs)
        {
            sum += Math.Exp(logTerm - maxLog);
        }

        return Math.Clamp(Math.Exp(logX + maxLog + Math.Log(sum)), 0.0, 1.0);
    }
}
