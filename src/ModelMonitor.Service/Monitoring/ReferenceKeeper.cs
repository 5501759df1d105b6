using System.Globalization;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The reference and how it comes to be: collected from the first live predictions, scored from a
/// file (off the loop, then activated here), re-baselined from the window; and the live score
/// reference a file reference waits for. Owned by <see cref="MonitorCore"/> and used only from its
/// loop, so predictions are numbered and collected in one step: a prediction is either in a live
/// reference or judged against it, never both, never neither. Returns the audit records its changes need.
/// </summary>
internal sealed class ReferenceKeeper(DriftOptions options, ModelHost host, TimeProvider time, ILogger logger)
{
    private readonly List<TextFeatureVector> liveReference = [];
    private readonly List<TextFeatureVector> scoreWarmup = [];
    private (ScoreSample Sample, string ModelSha256)? restoredScores;

    public ReferenceProfile? Profile { get; private set; }

    public ReferenceStatus Status { get; set; } = !options.Enabled ? new ReferenceStatus("disabled", "none", 0, 0, "Drift:Enabled is false.")
        : !string.IsNullOrWhiteSpace(options.ReferencePath) ? new ReferenceStatus("loading", options.ReferencePath!, 0, 0, null)
        : new ReferenceStatus("collecting", "live", 0, options.LiveReferenceSize, null);

    /// <summary>Window sequence number up to which predictions are in a live reference: evaluations leave those out, as a sample compared with itself never drifts.</summary>
    public long ReferenceThrough { get; private set; }

    /// <summary>The same for the live score reference.</summary>
    public long ScoresThrough { get; private set; }

    public int ScoresCollected => scoreWarmup.Count;

    private bool HasFile => !string.IsNullOrWhiteSpace(options.ReferencePath);

    /// <summary>A live score reference found in the audit at startup, kept for the same reference and model.</summary>
    public void RestoreScores((ScoreSample Sample, string ModelSha256)? restored) => restoredScores = restored;

    /// <summary>Served predictions, numbered from <paramref name="firstSequence"/> in the window, feed what is being collected.</summary>
    public IReadOnlyList<AuditEntry> Collect(IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at, long firstSequence, LiveWindow window)
    {
        if (!HasFile && Profile is null)
        {
            var taken = Math.Min(vectors.Count, options.LiveReferenceSize - liveReference.Count);
            liveReference.AddRange(vectors.Take(taken));
            Status = new ReferenceStatus("collecting", "live", liveReference.Count, options.LiveReferenceSize, null);
            if (liveReference.Count < options.LiveReferenceSize)
            {
                return [];
            }

            ReferenceThrough = firstSequence + taken - 1;
            var frozen = ReferenceProfile.Create(ReferenceProfile.LiveSource, at, liveReference, host.Classifier.Model.Labels, [], options.Bins, null, options.GroupCorrelation);
            var inputs = new ReferenceInputs([.. liveReference], [], ids?[taken - 1]);
            liveReference.Clear();
            return Activate(frozen, null, atStartup: false, window, inputs);
        }

        if (Profile is { Scores: ScoreSource.AwaitingLive } awaiting)
        {
            var taken = Math.Min(vectors.Count, options.LiveReferenceSize - scoreWarmup.Count);
            scoreWarmup.AddRange(vectors.Take(taken));
            if (scoreWarmup.Count >= options.LiveReferenceSize)
            {
                var sample = ScoreSample.From(at, awaiting.Source, scoreWarmup, ids?[taken - 1]);
                var candidates = scoreWarmup.ToArray();
                scoreWarmup.Clear();
                return FreezeScores(awaiting, candidates, sample, firstSequence + taken - 1);
            }
        }

        return [];
    }

    /// <summary>
    /// Makes <paramref name="profile"/> current. A file or posted reference gets its score reference
    /// from live traffic: at startup the one restored from the audit when the reference and model
    /// are the same, else a new one.
    /// </summary>
    /// <remarks>
    /// <paramref name="inputs"/>, for a reference configuration cannot make again (posted texts, the
    /// window, live predictions), go into its audit record, so other replicas and a restart can
    /// make the same reference (<see cref="Adopt"/>).
    /// </remarks>
    public IReadOnlyList<AuditEntry> Activate(ReferenceProfile profile, string? note, bool atStartup, LiveWindow window, ReferenceInputs? inputs = null)
    {
        var entries = new List<AuditEntry>();
        if (profile.Source != ReferenceProfile.LiveSource && options.ScoreReference == ScoreReference.Live)
        {
            profile = WithScoreReference(profile, atStartup, window, entries);
        }

        Profile = profile;
        string?[] notes = [profile.PhraseBank is { Dropped: true } bank ? $"phrase bank: kept {bank.Kept} maximal texts of {bank.Texts}" : null, note];
        var message = string.Join("; ", notes.Where(n => n is not null));
        Status = new ReferenceStatus("ready", profile.Source, profile.Count, profile.Count, message.Length == 0 ? null : message);
        var accuracy = profile.Performance is { } performance ? performance.Accuracy.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        var phrase = profile.PhraseBank is { } summary ? $"{summary.Subphrases} sub-phrase rows of {summary.Texts}, dropped: {summary.Dropped}" : "n/a";
        Log.ReferenceReady(logger, profile.Source, profile.Count, accuracy, phrase);
        entries.Insert(0, ReferenceRecords.Write(profile, host.Classifier.Model.Sha256, ConfiguredReference, profile.Source == ConfiguredReference ? null : inputs));
        return entries;
    }

    /// <summary>The configured reference file, as reference records name it (null: none).</summary>
    public string? ConfiguredReference => HasFile ? options.ReferencePath : null;

    /// <summary>A rebuildable reference record found in the audit at startup, kept until the model is loaded.</summary>
    public ReferenceRecord? RestoredReference { get; set; }

    /// <summary>Whether <paramref name="record"/> may replace the current reference: made for the same model and configured file, after the current one.</summary>
    public bool Accepts(ReferenceRecord record) =>
        record.ModelSha256 == host.Classifier.Model.Sha256
        && record.ConfiguredReference == ConfiguredReference
        && (Profile is null || record.CreatedAt > Profile.CreatedAt);

    /// <summary>
    /// Makes the reference another replica made (or this one made before a restart) current again,
    /// from its record's inputs. Predictions it took from live traffic are left out of evaluations,
    /// as where it was made. The audit entries returned are this replica's own bookkeeping, which the
    /// caller drops: the reference is in the audit already.
    /// </summary>
    public IReadOnlyList<AuditEntry> Adopt(ReferenceRecord record, LiveWindow window, bool atStartup)
    {
        var profile = record.Rebuild(host.Classifier.Model.Labels, options.Bins, options.GroupCorrelation);
        liveReference.Clear();
        if (profile.Source == ReferenceProfile.LiveSource)
        {
            // Every prediction it took was made at or before its time; by id, also one tailed in early.
            var byId = record.Inputs!.LastPredictionId is { } last ? window.SequenceOf(last) ?? 0 : 0;
            ReferenceThrough = Math.Max(byId, window.SequenceAt(record.CreatedAt));
        }

        // No note: /drift answers the same on every replica (the log says where it came from).
        return Activate(profile, null, atStartup, window);
    }

    private (DateTimeOffset At, int Count)? stampOfOthers;

    /// <summary>Another replica scored the configured file while this one still scores it at startup: the latest such time.</summary>
    public void RememberStampOfOthers(DateTimeOffset createdAt, int count)
    {
        if (stampOfOthers is not { } kept || createdAt > kept.At)
        {
            stampOfOthers = (createdAt, count);
        }
    }

    /// <summary>The file this replica scored at startup, under the latest time another replica scored the same file, if later.</summary>
    public ReferenceProfile StampOfOthers(ReferenceProfile scored) =>
        stampOfOthers is { } other && scored.Source == ConfiguredReference && other.Count == scored.Count && other.At > scored.CreatedAt
            ? scored.Restamped(other.At)
            : scored;

    /// <summary>Another replica scored the same file later: take its creation time, so every replica shows the same reference.</summary>
    public void Restamp(DateTimeOffset createdAt)
    {
        if (Profile is { } profile)
        {
            Profile = profile.Restamped(createdAt);
        }
    }

    /// <summary>
    /// A live score reference another replica froze for the current reference, if it is newer than
    /// this replica's: every replica then judges scores against the same one.
    /// </summary>
    public bool AdoptScores(ScoreSample sample, string modelSha256, LiveWindow window)
    {
        if (Profile is not { } profile || profile.Scores == ScoreSource.Reference || sample.Count == 0
            || modelSha256 != host.Classifier.Model.Sha256 || sample.ReferenceSource != profile.Source
            || sample.FrozenAt < profile.CreatedAt || (profile.LiveScores is { } own && sample.FrozenAt <= own.FrozenAt))
        {
            return false;
        }

        scoreWarmup.Clear();
        var byId = sample.LastPredictionId is { } last ? window.SequenceOf(last) ?? 0 : 0;
        ScoresThrough = Math.Max(byId, window.SequenceAt(sample.FrozenAt));
        Profile = profile.WithLiveScores(sample);
        Log.ScoreReferenceReady(logger, sample.Count, profile.Source, "made on another replica");
        return true;
    }

    /// <summary>The window's predictions become the reference; null when it holds too few.</summary>
    public (ReferenceProfile? Profile, IReadOnlyList<AuditEntry> Entries) Rebaseline(LiveWindow window)
    {
        var (sample, last) = window.Snapshot();
        if (sample.Vectors.Count < options.MinWindowSize)
        {
            return (null, []);
        }

        var profile = ReferenceProfile.Create(ReferenceProfile.LiveSource, time.GetUtcNow(), sample.Vectors, host.Classifier.Model.Labels, [.. sample.Truth], options.Bins, null, options.GroupCorrelation);
        ReferenceThrough = last;
        var entries = Activate(profile, null, atStartup: false, window, new ReferenceInputs(sample.Vectors, sample.Truth, window.LatestId()));
        return (Profile, entries);
    }

    private ReferenceProfile WithScoreReference(ReferenceProfile profile, bool atStartup, LiveWindow window, List<AuditEntry> entries)
    {
        scoreWarmup.Clear();
        var restored = restoredScores;
        restoredScores = null;
        if (atStartup && restored is { } r && r.Sample.ReferenceSource == profile.Source && r.ModelSha256 == host.Classifier.Model.Sha256)
        {
            // The restored window's predictions up to the freeze may be that score reference.
            // (When its last prediction has left the window, every prediction held came after it.)
            ScoresThrough = r.Sample.LastPredictionId is { } last ? window.SequenceOf(last) ?? 0 : window.SequenceAt(r.Sample.FrozenAt);
            Log.ScoreReferenceReady(logger, r.Sample.Count, profile.Source, "restored from the audit");
            return profile.WithLiveScores(r.Sample);
        }

        if (!atStartup)
        {
            // An empty score reference in the audit: a restart must not bring back the one this replaces.
            entries.Add(MonitoringAuditRecords.ScoreReference(new ScoreSample(time.GetUtcNow(), profile.Source, [], [], []), host.Classifier.Model.Sha256));
        }

        return profile.AwaitLiveScores();
    }

    /// <summary>
    /// The score reference stands for the model's scores on traffic like the reference. A sample
    /// whose inputs or predicted labels already drifted from it is not that: it is dropped and
    /// collection starts again.
    /// </summary>
    private IReadOnlyList<AuditEntry> FreezeScores(ReferenceProfile awaiting, TextFeatureVector[] candidates, ScoreSample sample, long through)
    {
        string[] moved = [.. DriftEvaluator.Decide(awaiting, candidates, options.ToPolicy().Thresholds, judgeScores: false)
            .Where(f => f.Verdict == DriftVerdict.Drift)
            .Select(f => f.Feature)];
        if (moved.Length > 0)
        {
            Log.ScoreReferenceDiscarded(logger, sample.Count, string.Join(", ", moved));
            return [];
        }

        ScoresThrough = through;
        Profile = awaiting.WithLiveScores(sample);
        Log.ScoreReferenceReady(logger, sample.Count, awaiting.Source, "collected");
        return [MonitoringAuditRecords.ScoreReference(sample, host.Classifier.Model.Sha256)];
    }
}
