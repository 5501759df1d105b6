using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Service.Monitoring;

/// <summary>What became of one piece of feedback.</summary>
internal enum FeedbackJoin
{
    /// <summary>The prediction is in the current window; its label now counts.</summary>
    Joined,

    /// <summary>The prediction is not (or no longer) in the window.</summary>
    NotInWindow,
}

/// <summary>
/// The current window: the latest predictions' features, bounded by count and optionally by age,
/// with their true labels once feedback arrives. Thread-safe; requests add, the monitor reads snapshots.
/// </summary>
internal sealed class LiveWindow(int capacity, TimeSpan? maxAge, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Queue<Entry> entries = new();
    private readonly Dictionary<string, Entry> byId = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                Prune(time.GetUtcNow());
                return entries.Count;
            }
        }
    }

    public void Add(IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at)
    {
        lock (gate)
        {
            for (var i = 0; i < vectors.Count; i++)
            {
                var entry = new Entry(ids?[i], at, vectors[i]);
                entries.Enqueue(entry);
                if (entry.Id is not null)
                {
                    byId[entry.Id] = entry;
                }
            }

            Prune(at);
        }
    }

    public FeedbackJoin Join(string predictionId, int label)
    {
        lock (gate)
        {
            if (!byId.TryGetValue(predictionId, out var entry))
            {
                return FeedbackJoin.NotInWindow;
            }

            entry.Truth = label;
            return FeedbackJoin.Joined;
        }
    }

    public WindowSample Snapshot()
    {
        lock (gate)
        {
            Prune(time.GetUtcNow());
            var vectors = new TextFeatureVector[entries.Count];
            var truth = new int[entries.Count];
            var i = 0;
            foreach (var entry in entries)
            {
                vectors[i] = entry.Vector;
                truth[i++] = entry.Truth;
            }

            return new WindowSample(vectors, truth, entries.Count == 0 ? null : entries.Peek().At, entries.Count == 0 ? null : entries.Last().At);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (entries.Count > 0 && (entries.Count > capacity || (maxAge is { } age && now - entries.Peek().At > age)))
        {
            var gone = entries.Dequeue();
            if (gone.Id is not null && byId.TryGetValue(gone.Id, out var current) && ReferenceEquals(current, gone))
            {
                byId.Remove(gone.Id);
            }
        }
    }

    private sealed class Entry(string? id, DateTimeOffset at, TextFeatureVector vector)
    {
        public string? Id { get; } = id;

        public DateTimeOffset At { get; } = at;

        public TextFeatureVector Vector { get; } = vector;

        public int Truth { get; set; } = -1;
    }
}
