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
/// with their true labels once feedback arrives. Only the monitor's writer (<see cref="MonitorCore"/>)
/// changes it; the lock lets readers count it meanwhile.
/// </summary>
internal sealed class LiveWindow(int capacity, TimeSpan? maxAge, TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Queue<Entry> entries = new();
    private readonly Dictionary<string, Entry> byId = new(StringComparer.Ordinal);
    private long lastSequence;

    /// <summary>Predictions held now, those past the age limit not counted (they are dropped on the next change: a reader changes nothing).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                if (maxAge is not { } age)
                {
                    return Math.Min(entries.Count, capacity);
                }

                var now = time.GetUtcNow();
                return entries.Count(e => now - e.At <= age);
            }
        }
    }

    /// <summary>Adds predictions in arrival order; returns the sequence number given to the first (the rest follow it).</summary>
    public long Add(IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at)
    {
        lock (gate)
        {
            var first = lastSequence + 1;
            for (var i = 0; i < vectors.Count; i++)
            {
                var entry = new Entry(++lastSequence, ids?[i], at, vectors[i]);
                entries.Enqueue(entry);
                if (entry.Id is not null)
                {
                    byId[entry.Id] = entry;
                }
            }

            Prune(at);
            return first;
        }
    }

    /// <summary>The predicted label of a held prediction, by id, or null.</summary>
    public int? PredictedLabelOf(string predictionId)
    {
        lock (gate)
        {
            return byId.TryGetValue(predictionId, out var entry) ? entry.Vector.PredictedLabel : null;
        }
    }

    /// <summary>The id of the latest prediction held, or null.</summary>
    public string? LatestId()
    {
        lock (gate)
        {
            return entries.Count == 0 ? null : entries.Last().Id;
        }
    }

    /// <summary>The sequence number of a held prediction, by id, or null.</summary>
    public long? SequenceOf(string predictionId)
    {
        lock (gate)
        {
            return byId.TryGetValue(predictionId, out var entry) ? entry.Sequence : null;
        }
    }

    /// <summary>The sequence number of the latest prediction made at or before <paramref name="at"/> (0 when none is held).</summary>
    public long SequenceAt(DateTimeOffset at)
    {
        lock (gate)
        {
            return entries.Where(e => e.At <= at).Select(e => e.Sequence).DefaultIfEmpty(0).Max();
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

    /// <summary>
    /// The window now, and the sequence number of its latest prediction. Predictions numbered up to
    /// <paramref name="after"/> (a reference frozen from live predictions) are marked to be left
    /// out of the features (<see cref="WindowSample.FeatureFrom"/>): they may be that reference,
    /// and a sample compared with itself never drifts. For the same reason, those up to
    /// <paramref name="scoresAfter"/> are marked to be left out of the score features
    /// (<see cref="WindowSample.ScoreFrom"/>).
    /// </summary>
    public (WindowSample Sample, long LastSequence) Snapshot(long after = 0, long scoresAfter = 0)
    {
        lock (gate)
        {
            Prune(time.GetUtcNow());
            var vectors = new TextFeatureVector[entries.Count];
            var truth = new int[entries.Count];
            var (i, featureFrom, scoreFrom) = (0, 0, 0);
            foreach (var entry in entries)
            {
                // Sequence numbers rise through the queue, so the marked ones form a prefix.
                featureFrom += entry.Sequence <= after ? 1 : 0;
                scoreFrom += entry.Sequence <= scoresAfter ? 1 : 0;
                vectors[i] = entry.Vector;
                truth[i++] = entry.Truth;
            }

            var sample = new WindowSample(vectors, truth, entries.Count == 0 ? null : entries.Peek().At, entries.Count == 0 ? null : entries.Last().At)
            {
                FeatureFrom = featureFrom,
                ScoreFrom = scoreFrom,
            };
            return (sample, lastSequence);
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

    private sealed class Entry(long sequence, string? id, DateTimeOffset at, TextFeatureVector vector)
    {
        public long Sequence { get; } = sequence;

        public string? Id { get; } = id;

        public DateTimeOffset At { get; } = at;

        public TextFeatureVector Vector { get; } = vector;

        public int Truth { get; set; } = -1;
    }
}
