namespace ModelMonitor.Monitoring.History;

/// <summary>
/// Counts positive values into bins 5% wide on a log scale, so a percentile is known to within
/// about 2.5% whatever the range, in memory bounded by the bins used (a few hundred at most).
/// Values at or below <see cref="Floor"/> share the lowest bin.
/// </summary>
internal sealed class LogHistogram
{
    public const double Floor = 0.001;

    private const double Ratio = 1.05;

    private static readonly double LogRatio = Math.Log(Ratio);

    private readonly SortedDictionary<int, long> bins = [];
    private long count;

    public void Add(double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            return;
        }

        var bin = value <= Floor ? 0 : (int)Math.Ceiling(Math.Log(value / Floor) / LogRatio);
        bins[bin] = bins.GetValueOrDefault(bin) + 1;
        count++;
    }

    /// <summary>The value at quantile <paramref name="q"/>: the geometric middle of the bin holding it; null when empty.</summary>
    public double? Percentile(double q)
    {
        if (count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * count));
        long seen = 0;
        foreach (var (bin, n) in bins)
        {
            seen += n;
            if (seen >= rank)
            {
                return Math.Round(bin == 0 ? Floor : Floor * Math.Pow(Ratio, bin - 0.5), 4);
            }
        }

        return Math.Round(Floor * Math.Pow(Ratio, bins.Keys.Last() - 0.5), 4);
    }
}
