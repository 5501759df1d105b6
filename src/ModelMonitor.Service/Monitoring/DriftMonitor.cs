using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The live drift monitor: holds the frozen reference, the current window, the latest evaluation,
/// the alert state and the report. Requests feed it; evaluations run one at a time, in the
/// background (<see cref="DriftMonitorService"/>) or on an admin's request, never on /predict.
/// </summary>
internal sealed class DriftMonitor : IDisposable
{
    private readonly DriftOptions options;
    private readonly AlertOptions alertOptions;
    private readonly ModelHost host;
    private readonly AuditTrail audit;
    private readonly AlertMailer mailer;
    private readonly ServiceMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger<DriftMonitor> logger;
    private readonly SemaphoreSlim evaluating = new(1, 1);
    private readonly Channel<bool> due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock liveReferenceGate = new();
    private readonly List<TextFeatureVector> liveReference = [];
    private readonly Lock scoreGate = new();
    private readonly List<TextFeatureVector> scoreWarmup = [];
    private (ScoreSample Sample, string ModelSha256)? restoredScores;
    private Task scoreCheck = Task.CompletedTask;

    // Window sequence numbers up to which predictions are in a live reference (or in the live
    // score reference); evaluations leave those out, as a sample compared with itself never drifts.
    private long referenceThrough;
    private long scoresThrough;
    private readonly AlertTracker tracker;
    private ReferenceProfile? reference;
    private ReferenceStatus status;
    private DriftEvaluation? latest;
    private PerformanceSnapshot? baselineSet;
    private long sequence;
    private long sinceEvaluation;
    private long lastEvaluationStarted;

    public DriftMonitor(
        IOptions<DriftOptions> options,
        IOptions<AlertOptions> alertOptions,
        ModelHost host,
        AuditTrail audit,
        AlertMailer mailer,
        ServiceMetrics metrics,
        TimeProvider time,
        ILogger<DriftMonitor> logger)
    {
        this.options = options.Value;
        this.alertOptions = alertOptions.Value;
        this.host = host;
        this.audit = audit;
        this.mailer = mailer;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
        tracker = new AlertTracker(this.alertOptions.ToPolicy());
        Window = new LiveWindow(this.options.WindowSize, this.options.WindowSeconds > 0 ? TimeSpan.FromSeconds(this.options.WindowSeconds) : null, time);
        status = !this.options.Enabled ? new ReferenceStatus("disabled", "none", 0, 0, "Drift:Enabled is false.")
            : HasFile ? new ReferenceStatus("loading", this.options.ReferencePath!, 0, 0, null)
            : new ReferenceStatus("collecting", "live", 0, this.options.LiveReferenceSize, null);
    }

    public bool Enabled => options.Enabled;

    public LiveWindow Window { get; }

    public ReportBuilder Report { get; } = new();

    public ReferenceStatus Status => Volatile.Read(ref status);

    public ReferenceProfile? Reference => Volatile.Read(ref reference);

    public DriftEvaluation? Latest => Volatile.Read(ref latest);

    public PerformanceBaseline Baseline => BaselineFor(Reference);

    /// <summary>
    /// Waits for the interval, or until <see cref="DriftOptions.EvaluateEveryPredictions"/> new
    /// predictions arrived, but no sooner than <see cref="DriftOptions.MinEvaluationSeconds"/> after
    /// the last evaluation began.
    /// </summary>
    public async Task WaitForDueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = due.Reader.WaitToReadAsync(either.Token).AsTask();
        var elapsed = Task.Delay(interval, time, either.Token);
        await Task.WhenAny(signalled, elapsed);
        var byCount = signalled.IsCompletedSuccessfully;
        await either.CancelAsync();
        due.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();

        // Under heavy traffic "every N predictions" comes many times a second, and each evaluation
        // judges a window mostly judged already: the spacing bounds what monitoring costs the model.
        var last = Volatile.Read(ref lastEvaluationStarted);
        var wait = last == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(options.MinEvaluationSeconds) - time.GetElapsedTime(last);
        if (byCount && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    public IReadOnlyList<AlertRecord> ActiveAlerts
    {
        get
        {
            lock (tracker)
            {
                return tracker.Active;
            }
        }
    }

    public IReadOnlyList<AlertRecord> RecentAlerts
    {
        get
        {
            lock (tracker)
            {
                return tracker.Recent;
            }
        }
    }

    private bool HasFile => !string.IsNullOrWhiteSpace(options.ReferencePath);

    /// <summary>Called by /predict once predictions are served: cheap, never evaluates.</summary>
    public void Observe(IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at)
    {
        Report.AddPredictions(at, vectors.Count);
        if (!options.Enabled)
        {
            return;
        }

        var first = Window.Add(ids, vectors, at);
        if (!HasFile && Reference is null)
        {
            CollectLiveReference(vectors, at, first);
        }
        else if (Reference is { Scores: ScoreSource.AwaitingLive } awaiting)
        {
            CollectScores(awaiting, ids, vectors, at, first);
        }

        if (options.EvaluateEveryPredictions > 0 && Interlocked.Add(ref sinceEvaluation, vectors.Count) >= options.EvaluateEveryPredictions)
        {
            due.Writer.TryWrite(true);
        }
    }

    /// <summary>Records feedback in the window; the caller audits it.</summary>
    public FeedbackJoin Feedback(string predictionId, int label)
    {
        var join = Window.Join(predictionId, label);
        if (join == FeedbackJoin.Joined && Window.PredictedLabelOf(predictionId) is { } predicted)
        {
            // The report's period accuracy counts each labelled prediction once, with its latest label.
            Report.AddLabel(predictionId, predicted == label);
        }

        return join;
    }

    /// <summary>
    /// Scores the configured reference file (or, with texts given, those) and makes it current.
    /// At startup (<paramref name="atStartup"/>) a live score reference restored from the audit is
    /// kept; an admin's new reference starts a new one.
    /// </summary>
    public async Task<ReferenceProfile> BuildReferenceAsync(IReadOnlyList<ReferenceText>? texts, string source, CancellationToken cancellationToken, bool atStartup = false)
    {
        var classifier = host.Classifier;
        PhraseBankSummary? phraseBank = null;
        var ignoredLabels = 0;
        try
        {
            if (texts is null)
            {
                (texts, phraseBank) = ReferenceScorer.ReadFile(options);
            }

            var total = texts.Count;
            Volatile.Write(ref status, new ReferenceStatus("loading", source, 0, total, phraseBank is { Dropped: true } ? $"phrase bank: kept {phraseBank.Kept} maximal texts of {phraseBank.Texts}" : null));
            var step = Math.Max(1, total / 10);
            var nextLog = step;
            var scored = await Task.Run(
                () => ReferenceScorer.Score(classifier, source, texts, phraseBank, options.Bins, options.GroupCorrelation, time.GetUtcNow(), (done, all) =>
                {
                    Volatile.Write(ref status, Status with { Done = done });
                    if (done >= nextLog || done == all)
                    {
                        nextLog += step;
                        Log.ReferenceProgress(logger, "loading", source, done, all);
                    }
                }, (count, example) =>
                {
                    ignoredLabels = count;
                    Log.ReferenceLabelsIgnored(logger, source, count, example, string.Join(", ", classifier.Model.Labels));
                }, cancellationToken),
                cancellationToken);
            return Activate(scored, ignoredLabels > 0 ? $"{ignoredLabels} label(s) are not the model's labels and were ignored" : null, atStartup);
        }
        catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
        {
            Volatile.Write(ref status, new ReferenceStatus("failed", source, 0, 0, e.Message));
            Log.ReferenceFailed(logger, source, e.Message);
            throw;
        }
    }

    /// <summary>Makes the most recent live predictions the reference (an admin re-baseline).</summary>
    public ReferenceProfile? RebaselineFromWindow()
    {
        var (window, last) = Window.Snapshot();
        if (window.Vectors.Count < options.MinWindowSize)
        {
            return null;
        }

        var profile = ReferenceProfile.Create(ReferenceProfile.LiveSource, time.GetUtcNow(), window.Vectors, host.Classifier.Model.Labels, [.. window.Truth], options.Bins, null, options.GroupCorrelation);
        Volatile.Write(ref referenceThrough, last);
        Activate(profile);
        return profile;
    }

    /// <summary>Judges the current window now. Serialized: one evaluation at a time.</summary>
    public async Task<DriftEvaluation?> EvaluateAsync(CancellationToken cancellationToken)
    {
        await evaluating.WaitAsync(cancellationToken);
        try
        {
            // A score reference being checked is judged with, not missed by, this evaluation.
            await Volatile.Read(ref scoreCheck).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Interlocked.Exchange(ref sinceEvaluation, 0);
            var profile = Reference;
            if (profile is null)
            {
                return null;
            }

            Volatile.Write(ref lastEvaluationStarted, time.GetTimestamp());
            var started = time.GetTimestamp();
            var (window, _) = Window.Snapshot(
                profile.Source == ReferenceProfile.LiveSource ? Volatile.Read(ref referenceThrough) : 0,
                profile.Scores == ScoreSource.Live ? Volatile.Read(ref scoresThrough) : 0);
            var evaluation = DriftEvaluator.Evaluate(Interlocked.Increment(ref sequence), time.GetUtcNow(), profile, window, BaselineFor(profile), options.ToPolicy());
            Volatile.Write(ref latest, evaluation);
            if (evaluation.Skipped)
            {
                Log.EvaluationSkipped(logger, evaluation.Sequence, evaluation.SkippedReason!);
                return evaluation;
            }

            var drifted = string.Join(", ", evaluation.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Feature));
            var (severityName, elapsedMs) = (evaluation.Severity.Name(), time.GetElapsedTime(started).TotalMilliseconds);
            Log.Evaluated(logger, evaluation.Sequence, severityName, evaluation.Diagnosis, evaluation.Window.Count, evaluation.Window.Labelled, drifted, elapsedMs);
            IReadOnlyList<AlertEvent> changes;
            lock (tracker)
            {
                changes = tracker.Observe(evaluation);
            }

            Report.AddEvaluation(EvaluationSummary.From(evaluation));
            await RecordAsync([MonitoringAuditRecords.Evaluation(evaluation), .. changes.Select(MonitoringAuditRecords.Alert)], cancellationToken);
            foreach (var change in changes)
            {
                Report.AddAlert(change.Alert);
            }

            WriteReportFile();
            foreach (var change in changes)
            {
                var (kind, severity) = (change.Kind.ToString().ToLowerInvariant(), change.Alert.Severity.Name());
                Log.AlertChanged(logger, kind, change.Alert.Type, severity, change.Alert.Id, change.Alert.Summary);
                if (change.Kind != AlertEventKind.Resolved)
                {
                    metrics.AlertsFired.WithLabels(severity, change.Alert.Type).Inc();
                }

                if (mailer.Enabled && change.Alert.Severity >= alertOptions.MinimumEmailSeverity)
                {
                    var model = $"{host.Classifier.Model.Name} {host.Classifier.Model.Version}";
                    await mailer.EnqueueAsync(AlertEmail.Compose(change, alertOptions.Smtp, model, time.GetUtcNow()), cancellationToken);
                }
            }

            return evaluation;
        }
        finally
        {
            evaluating.Release();
        }
    }

    /// <summary>Restores report totals and firing alerts from the audit store after a restart.</summary>
    public void RestoreFromAudit()
    {
        if (audit.Directory is not { } directory || !Directory.Exists(directory))
        {
            return;
        }

        var started = time.GetTimestamp();
        IReadOnlyList<AlertRecord> firing;
        var restoredWindow = new WindowReplay(options.WindowSize);
        try
        {
            firing = MonitoringAuditRecords.Replay(directory, Report, options.Enabled ? restoredWindow : null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            // A damaged store must not stop the service; `modelmonitor audit verify` says where it is damaged.
            Log.MonitoringNotAudited(logger, "the audit trail could not be replayed: " + e.Message);
            return;
        }

        restoredWindow.Fill(Window);
        if (Report.LatestEvaluation is { } last)
        {
            // The latest evaluation and its severity come back, and the sequence continues after
            // the highest one in the audit, so no sequence number is written twice.
            Volatile.Write(ref sequence, last.Sequence);
            Volatile.Write(ref latest, new DriftEvaluation(
                last.Sequence,
                last.At,
                new WindowInfo(last.Window, last.Labelled, null, null),
                0,
                last.Skipped ? "Restored from the audit trail: this evaluation was skipped." : null,
                [],
                null,
                PerformanceBaseline.None,
                [],
                last.Severity,
                last.Diagnosis)
            {
                RestoredFromAudit = true,
            });
        }

        if (restoredWindow.LatestScoreReference is { } scores)
        {
            using var document = System.Text.Json.JsonDocument.Parse(scores.Json);
            var read = MonitoringAuditRecords.ReadScoreReference(scores.At, document.RootElement);
            restoredScores = read.Sample.Count > 0 ? read : null;
        }
        var restored = Report.Build(time.GetUtcNow(), alertOptions.History);
        lock (tracker)
        {
            // Recent resolved alerts keep their history and cooldowns; every firing one comes back as firing.
            foreach (var alert in restored.LastAlerts.Reverse().Where(a => a.State == AlertState.Resolved).Concat(firing))
            {
                tracker.Restore(alert);
            }
        }

        var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
        Log.MonitoringRestored(logger, restored.Predictions, restored.Drift.Evaluations, firing.Count, Window.Count, elapsedMs);
    }

    public void Dispose() => evaluating.Dispose();

    /// <summary>Writes the report file (temporary file, then rename), so a reader never sees half of it. Only evaluations call this, one at a time.</summary>
    private void WriteReportFile()
    {
        if (string.IsNullOrWhiteSpace(options.ReportPath))
        {
            return;
        }

        var path = Path.GetFullPath(options.ReportPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Report.Build(time.GetUtcNow()), MonitoringJsonContext.Default.MonitoringReport));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ReportNotWritten(logger, path, e.Message);
        }
    }

    private void CollectLiveReference(IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at, long firstSequence)
    {
        ReferenceProfile? frozen = null;
        lock (liveReferenceGate)
        {
            if (Reference is not null)
            {
                return;
            }

            var taken = Math.Min(vectors.Count, options.LiveReferenceSize - liveReference.Count);
            liveReference.AddRange(vectors.Take(taken));
            Volatile.Write(ref status, new ReferenceStatus("collecting", "live", liveReference.Count, options.LiveReferenceSize, null));
            if (liveReference.Count >= options.LiveReferenceSize)
            {
                Volatile.Write(ref referenceThrough, firstSequence + taken - 1);
                frozen = ReferenceProfile.Create(ReferenceProfile.LiveSource, at, liveReference, host.Classifier.Model.Labels, [], options.Bins, null, options.GroupCorrelation);
                liveReference.Clear();
            }
        }

        if (frozen is not null)
        {
            Activate(frozen);
        }
    }

    private ReferenceProfile Activate(ReferenceProfile profile, string? note = null, bool atStartup = false)
    {
        if (profile.Source != ReferenceProfile.LiveSource && options.ScoreReference == ScoreReference.Live)
        {
            profile = WithScoreReference(profile, atStartup);
        }

        Volatile.Write(ref reference, profile);
        string?[] notes = [profile.PhraseBank is { Dropped: true } bank ? $"phrase bank: kept {bank.Kept} maximal texts of {bank.Texts}" : null, note];
        var message = string.Join("; ", notes.Where(n => n is not null));
        Volatile.Write(ref status, new ReferenceStatus("ready", profile.Source, profile.Count, profile.Count, message.Length == 0 ? null : message));
        var accuracy = profile.Performance is { } performance ? performance.Accuracy.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
        var phrase = profile.PhraseBank is { } summary ? $"{summary.Subphrases} sub-phrase rows of {summary.Texts}, dropped: {summary.Dropped}" : "n/a";
        Log.ReferenceReady(logger, profile.Source, profile.Count, accuracy, phrase);
        _ = RecordAsync([ReferenceRecord(profile)], CancellationToken.None);
        return profile;
    }

    /// <summary>
    /// A file or posted reference gets its score reference from live traffic: the one restored from
    /// the audit when the service restarts with the same reference and model, else a new one.
    /// </summary>
    private ReferenceProfile WithScoreReference(ReferenceProfile profile, bool atStartup)
    {
        lock (scoreGate)
        {
            scoreWarmup.Clear();
            var restored = restoredScores;
            restoredScores = null;
            if (atStartup && restored is { } r && r.Sample.ReferenceSource == profile.Source && r.ModelSha256 == host.Classifier.Model.Sha256)
            {
                // The restored window's predictions up to the freeze may be that score reference.
                // (When its last prediction has left the window, every prediction held came after it.)
                var through = r.Sample.LastPredictionId is { } last ? Window.SequenceOf(last) ?? 0 : Window.SequenceAt(r.Sample.FrozenAt);
                Volatile.Write(ref scoresThrough, through);
                Log.ScoreReferenceReady(logger, r.Sample.Count, profile.Source, "restored from the audit");
                return profile.WithLiveScores(r.Sample);
            }

            if (!atStartup)
            {
                // An empty score reference in the audit: a restart must not bring back the one this replaces.
                _ = RecordAsync([MonitoringAuditRecords.ScoreReference(new ScoreSample(time.GetUtcNow(), profile.Source, [], [], []), host.Classifier.Model.Sha256)], CancellationToken.None);
            }

            return profile.AwaitLiveScores();
        }
    }

    private void CollectScores(ReferenceProfile awaiting, IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at, long firstSequence)
    {
        lock (scoreGate)
        {
            if (!ReferenceEquals(Reference, awaiting) || !scoreCheck.IsCompleted)
            {
                return;
            }

            var taken = Math.Min(vectors.Count, options.LiveReferenceSize - scoreWarmup.Count);
            scoreWarmup.AddRange(vectors.Take(taken));
            if (scoreWarmup.Count < options.LiveReferenceSize)
            {
                return;
            }

            // Checked in the background: this runs on /predict, and judging the sample against a
            // large reference is an evaluation's worth of work.
            var sample = ScoreSample.From(at, awaiting.Source, scoreWarmup, ids?[taken - 1]);
            var through = firstSequence + taken - 1;
            var candidates = scoreWarmup.ToArray();
            scoreWarmup.Clear();
            scoreCheck = Task.Run(() => FreezeScores(awaiting, candidates, sample, through));
        }
    }

    /// <summary>
    /// The score reference stands for the model's scores on traffic like the reference. A sample
    /// whose inputs or predicted labels already drifted from it is not that: it is dropped and
    /// collection starts again.
    /// </summary>
    private void FreezeScores(ReferenceProfile awaiting, TextFeatureVector[] candidates, ScoreSample sample, long through)
    {
        string[] moved = [.. DriftEvaluator.Decide(awaiting, candidates, options.ToPolicy().Thresholds, judgeScores: false)
            .Where(f => f.Verdict == DriftVerdict.Drift)
            .Select(f => f.Feature)];
        if (moved.Length > 0)
        {
            Log.ScoreReferenceDiscarded(logger, sample.Count, string.Join(", ", moved));
            return;
        }

        lock (scoreGate)
        {
            if (!ReferenceEquals(Reference, awaiting))
            {
                return;
            }

            Volatile.Write(ref scoresThrough, through);
            Volatile.Write(ref reference, awaiting.WithLiveScores(sample));
        }

        Log.ScoreReferenceReady(logger, sample.Count, awaiting.Source, "collected");
        _ = RecordAsync([MonitoringAuditRecords.ScoreReference(sample, host.Classifier.Model.Sha256)], CancellationToken.None);
    }

    /// <summary>How far the live score reference has come: collected and needed.</summary>
    public (int Collected, int Needed) ScoreProgress
    {
        get
        {
            lock (scoreGate)
            {
                return (scoreWarmup.Count, options.LiveReferenceSize);
            }
        }
    }

    /// <summary>
    /// Scores the labelled baseline set (Drift:BaselinePath) once, so its accuracy and F1 can be the
    /// baseline. A failure is logged and leaves no baseline set; the service keeps serving.
    /// </summary>
    public async Task LoadBaselineSetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.BaselinePath))
        {
            return;
        }

        var classifier = host.Classifier;
        try
        {
            var texts = ReferenceFileReader.Read(ModelPathResolver.Resolve(options.BaselinePath), options.ReferenceTextColumn, options.ReferenceLabelColumn);
            var scored = await Task.Run(
                () => ReferenceScorer.Score(classifier, options.BaselinePath, texts, null, options.Bins, options.GroupCorrelation, time.GetUtcNow(), (_, _) => { }, (count, example) => Log.ReferenceLabelsIgnored(logger, options.BaselinePath, count, example, string.Join(", ", classifier.Model.Labels)), cancellationToken),
                cancellationToken);
            if (scored.Performance is not { } performance)
            {
                Log.BaselineSetFailed(logger, options.BaselinePath, "it has no label the model knows");
                return;
            }

            Volatile.Write(ref baselineSet, performance);
            Log.BaselineSetReady(logger, options.BaselinePath, performance.Labelled, performance.Accuracy, performance.F1Macro);
        }
        catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
        {
            Log.BaselineSetFailed(logger, options.BaselinePath, e.Message);
        }
    }

    /// <summary>A configured baseline always wins; then the labelled baseline set; then the labelled reference.</summary>
    private PerformanceBaseline BaselineFor(ReferenceProfile? profile)
    {
        var configured = options.BaselineAccuracy is not null || options.BaselineF1 is not null
            ? new PerformanceBaseline(options.BaselineAccuracy, options.BaselineF1, PerformanceBaseline.Configured)
            : null;
        var set = Volatile.Read(ref baselineSet) is { } held
            ? new PerformanceBaseline(held.Accuracy, held.F1Macro, PerformanceBaseline.BaselineSet) { Note = $"the model scored on {held.Labelled} labelled texts of {options.BaselinePath}" }
            : null;
        var fromReference = profile?.Performance is { } performance
            ? new PerformanceBaseline(performance.Accuracy, performance.F1Macro, PerformanceBaseline.FromReference)
            {
                Note = "the model scored on its own reference: inflated when the reference is training data (the model fits what it was trained on), so real drops look larger. Set Drift:BaselineAccuracy or Drift:BaselinePath (held-out labelled texts).",
            }
            : null;
        return options.BaselineSource switch
        {
            BaselineSource.Configured => configured ?? PerformanceBaseline.None,
            BaselineSource.Reference => fromReference ?? PerformanceBaseline.None,
            BaselineSource.BaselineSet => set ?? PerformanceBaseline.None,
            _ => configured ?? set ?? fromReference ?? PerformanceBaseline.None,
        };
    }

    private ModelMonitor.Audit.AuditEntry ReferenceRecord(ReferenceProfile profile) =>
        new("reference", profile.CreatedAt, null, json =>
        {
            json.WriteString("source", profile.Source);
            json.WriteNumber("count", profile.Count);
            if (profile.Performance is { } performance)
            {
                json.WriteNumber("accuracy", performance.Accuracy);
                json.WriteNumber("f1_macro", performance.F1Macro);
                json.WriteNumber("labelled", performance.Labelled);
            }

            if (profile.PhraseBank is { } bank)
            {
                json.WriteNumber("phrase_bank_rows", bank.Texts);
                json.WriteNumber("phrase_bank_subphrases", bank.Subphrases);
                json.WriteBoolean("phrase_bank_dropped", bank.Dropped);
            }

            json.WriteString("scores", profile.Scores switch { ScoreSource.Reference => "reference", ScoreSource.Live => "live (restored)", _ => "live (collecting)" });
            json.WriteString("model_sha256", host.Classifier.Model.Sha256);
        });

    private async Task RecordAsync(IReadOnlyList<ModelMonitor.Audit.AuditEntry> entries, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(entries, cancellationToken);
        }
        catch (ModelMonitor.Audit.AuditWriteException e)
        {
            Log.MonitoringNotAudited(logger, e.Message);
        }
    }
}
