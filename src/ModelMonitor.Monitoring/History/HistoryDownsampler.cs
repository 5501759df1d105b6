namespace ModelMonitor.Monitoring.History;

/// <summary>
/// Thins a long series of evaluations to at most a given number of points, streaming, in memory
/// bounded by that number. Time is cut into buckets of equal length from an origin (the range's
/// start, or the first point); each bucket keeps its worst evaluation (the highest severity; a
/// skipped one counts below any judged one; of equals, the latest), so a spike of drift is never
/// averaged away. When the buckets outnumber the limit, their length doubles and neighbours merge.
/// </summary>
internal sealed class HistoryDownsampler
{
    private readonly int maxPoints;
    private readonly List<Bucket> buckets = [];
    private DateTimeOffset? origin;
    private long widthTicks;
    private int seen;

    /// <param name="maxPoints">The most points kept (at least 2).</param>
    /// <param name="from">The range's start, when known: the first bucket starts there.</param>
    /// <param name="to">The range's end, when known with its start: the buckets then start just long enough to fit; otherwise they start one tick long.</param>
    public HistoryDownsampler(int maxPoints, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        this.maxPoints = maxPoints;
        origin = from;
        widthTicks = from is { } start && to is { } end && end > start
            ? Math.Max(1, (end - start).Ticks / maxPoints + 1)
            : 1; // unknown range: start fine, so that no two points merge until the limit forces it
    }

    public void Add(HistoryPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        seen++;
        origin ??= point.At;
        var index = Math.Max(0, (point.At - origin.Value).Ticks / widthTicks);
        Place(new Bucket(index, point, 1));
        while (buckets.Count > maxPoints)
        {
            Widen();
        }
    }

    /// <summary>The kept points, oldest first, each with how many evaluations it stands for.</summary>
    public IReadOnlyList<HistoryPoint> Points => [.. buckets.Select(b => b.Worst with { Represents = b.Count })];

    public HistoryDownsampling Summary => new(maxPoints, (double)widthTicks / TimeSpan.TicksPerSecond, seen);

    private void Place(Bucket bucket)
    {
        // Points arrive in time order, so the bucket is nearly always the last one or a new one.
        var at = buckets.Count - 1;
        while (at >= 0 && buckets[at].Index > bucket.Index)
        {
            at--;
        }

        if (at >= 0 && buckets[at].Index == bucket.Index)
        {
            buckets[at] = Merge(buckets[at], bucket);
        }
        else
        {
            buckets.Insert(at + 1, bucket);
        }
    }

    private void Widen()
    {
        widthTicks *= 2;
        var merged = new List<Bucket>(buckets.Count / 2 + 1);
        foreach (var bucket in buckets)
        {
            var moved = bucket with { Index = bucket.Index / 2 };
            if (merged.Count > 0 && merged[^1].Index == moved.Index)
            {
                merged[^1] = Merge(merged[^1], moved);
            }
            else
            {
                merged.Add(moved);
            }
        }

        buckets.Clear();
        buckets.AddRange(merged);
    }

    private static Bucket Merge(Bucket a, Bucket b)
    {
        var (earlier, later) = a.Worst.At <= b.Worst.At ? (a.Worst, b.Worst) : (b.Worst, a.Worst);
        var worst = Rank(earlier) > Rank(later) ? earlier : later;
        return new Bucket(a.Index, worst, a.Count + b.Count);
    }

    private static int Rank(HistoryPoint point) => point.Skipped ? -1 : (int)point.Severity;

    private readonly record struct Bucket(long Index, HistoryPoint Worst, int Count);
}
