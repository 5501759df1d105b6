namespace ModelMonitor.Monitoring.History;

/// <summary>
/// Which evaluations to read: those with <see cref="From"/> ≤ time &lt; <see cref="To"/>, oldest
/// first. Without <see cref="MaxPoints"/>, a page of at most <see cref="Limit"/> evaluations after
/// <see cref="Cursor"/> (the id of the last evaluation already seen). With it, the whole range in
/// one answer, downsampled to at most that many points (see <see cref="HistoryDownsampler"/>).
/// </summary>
public sealed record HistoryQuery
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    public const int MinMaxPoints = 2;

    public const int MaxMaxPoints = 5000;

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public string? Cursor { get; init; }

    public int? MaxPoints { get; init; }

    /// <summary>
    /// False: each evaluation without its per-feature detail (features, label mix), for plots over
    /// time that need only the summary; <see cref="HistoryPage.Latest"/> keeps its detail.
    /// </summary>
    public bool Features { get; init; } = true;
}

/// <summary>How a range was downsampled: into buckets of equal length, the worst evaluation of each kept.</summary>
public sealed record HistoryDownsampling(int MaxPoints, double BucketSeconds, int Evaluations);

/// <summary>
/// A page of the history: the evaluations (oldest first), the cursor for the next page (null on the
/// last), and, when the range was downsampled, how, and the latest evaluation in the range with all
/// its detail (downsampling may have left it out for a worse one).
/// </summary>
public sealed record HistoryPage(
    IReadOnlyList<HistoryPoint> Evaluations,
    string? NextCursor,
    HistoryPoint? Latest,
    HistoryDownsampling? Downsampled);
