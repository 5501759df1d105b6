using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The monitor's single writer. It owns the window, the reference (<see cref="ReferenceKeeper"/>),
/// the evaluation sequence, the alert tracker and the report's totals, and changes them only from
/// <see cref="MonitorLoopService"/>'s loop, one command at a time; so it needs no lock, and a
/// rebaseline, an evaluation and the predictions around them always see each other whole. Readers
/// get <see cref="State"/>, an immutable snapshot swapped in after each change. Its output goes
/// downstream only, through <see cref="AlertPublisher"/>.
/// </summary>
internal sealed partial class MonitorCore
{
    private readonly DriftOptions options;
    private readonly AlertOptions alertOptions;
    private readonly AuditTrail audit;
    private readonly AlertPublisher publisher;
    private readonly AlertMailer mailer;
    private readonly MonitorInbox inbox;
    private readonly TimeProvider time;
    private readonly ILogger<MonitorCore> logger;
    private readonly AlertTracker tracker;
    private readonly ReferenceKeeper keeper;
    private readonly ModelHost host;
    private readonly ModelMonitor.Service.ScaleOut.MonitorRole role;
    private readonly ModelMonitor.Service.ScaleOut.ReplicaFeed feed;
    private readonly ModelMonitor.Service.ScaleOut.ReferenceRescoreRequests rescore;
    private Dictionary<string, (Calibration Calibration, string ModelSha256)> restoredCalibrations = new(StringComparer.Ordinal);
    private Calibration? setCalibration;
    private Calibration? referenceCalibration;
    private DriftEvaluation? latest;
    private ModelMonitor.Service.Contracts.EvaluationView? latestView;
    private PerformanceSnapshot? baselineSet;
    private long sequence;
    private long sinceEvaluation;
    private long lastEvaluationStarted;
    private MonitorSnapshot state;

    public MonitorCore(IOptions<DriftOptions> options, IOptions<AlertOptions> alertOptions, ModelHost host, AuditTrail audit, AlertPublisher publisher, AlertMailer mailer, MonitorInbox inbox, TimeProvider time, ILogger<MonitorCore> logger, ModelMonitor.Service.ScaleOut.MonitorRole role, ModelMonitor.Service.ScaleOut.ReplicaFeed feed, ModelMonitor.Service.ScaleOut.ReferenceRescoreRequests rescore)
    {
        this.rescore = rescore;
        this.role = role;
        this.feed = feed;
        this.options = options.Value;
        this.alertOptions = alertOptions.Value;
        this.audit = audit;
        this.publisher = publisher;
        this.mailer = mailer;
        this.inbox = inbox;
        this.time = time;
        this.logger = logger;
        this.host = host;
        tracker = new AlertTracker(this.alertOptions.ToPolicy());
        keeper = new ReferenceKeeper(this.options, host, time, logger);
        Window = new LiveWindow(this.options.WindowSize, this.options.WindowSeconds > 0 ? TimeSpan.FromSeconds(this.options.WindowSeconds) : null, time);
        state = Snapshot();
    }

    /// <summary>The current window. Only this class adds to it; readers may count it.</summary>
    public LiveWindow Window { get; }

    /// <summary>The report's totals. Only this class adds to them; readers build reports from them.</summary>
    public ReportBuilder Report { get; } = new();

    public MonitorSnapshot State => Volatile.Read(ref state);

    /// <summary>When the latest evaluation began (a timestamp of the injected clock; 0 before the first).</summary>
    public long LastEvaluationStarted => Volatile.Read(ref lastEvaluationStarted);

    public async Task HandleAsync(MonitorCommand command)
    {
        switch (command)
        {
            case ObserveCommand observe:
                await ObserveAsync(observe);
                return;
            case FeedbackCommand feedback:
                feedback.Reply.TrySetResult([.. feedback.Items.Select(item => Join(item.PredictionId, item.Label))]);
                return;
            case FeedbackStoredCommand stored:
                Report.AddFeedback(stored.At, stored.Stored, stored.Joined);
                return;
            case EvaluateCommand evaluate:
                evaluate.Reply.TrySetResult(await EvaluateAsync());
                return;
            case RebaselineCommand rebaseline:
            {
                var (profile, entries) = keeper.Rebaseline(Window);
                referenceCalibration = profile is null ? referenceCalibration : null; // a live reference is calibrated on nothing
                await publisher.RecordAsync(entries);
                Publish();
                rebaseline.Reply.TrySetResult(profile);
                return;
            }

            case ActivateReferenceCommand activate:
            {
                // While this replica scored the file at startup it adopted another replica's reference,
                // or while it scored the file because another replica did, a newer one arrived: that one stays.
                if ((activate.AtStartup && keeper.Profile is not null)
                    || (activate.ReplicatedAt is { } asked && keeper.Profile?.CreatedAt > asked))
                {
                    activate.Reply.TrySetResult(keeper.Profile!);
                    return;
                }

                // The same file as another replica's: under its time, so every replica shows one reference.
                var profile = activate.ReplicatedAt is { } at ? activate.Profile.Restamped(at)
                    : activate.AtStartup ? keeper.StampOfOthers(activate.Profile) : activate.Profile;
                var entries = keeper.Activate(profile, activate.Note, activate.AtStartup, Window, activate.Inputs).ToList();
                referenceCalibration = Adopt(activate.Calibration, profile.Source, activate.AtStartup, entries);
                await publisher.RecordAsync(activate.ReplicatedAt is null ? entries : []);
                Publish();
                activate.Reply.TrySetResult(keeper.Profile!);
                return;
            }

            case AdoptRestoredReferenceCommand adopt:
            {
                var restored = keeper.RestoredReference;
                keeper.RestoredReference = null;
                if (keeper.Profile is not null)
                {
                    adopt.Reply.TrySetResult(true); // another replica's, adopted from the tail since the restore: newer
                    return;
                }

                if (restored is null || !keeper.Accepts(restored))
                {
                    adopt.Reply.TrySetResult(false);
                    return;
                }

                List<ModelMonitor.Audit.AuditEntry> entries;
                try
                {
                    entries = [.. keeper.Adopt(restored, Window, atStartup: true)];
                }
                catch (Exception e) when (e is ModelMonitor.Statistics.StatisticsInputException or ArgumentException)
                {
                    Log.MonitoringNotAudited(logger, "the reference in the audit trail could not be made again (" + e.Message + "); the configured reference is used");
                    adopt.Reply.TrySetResult(false);
                    return;
                }

                Log.ReferenceRestored(logger, restored.Source, restored.Count, restored.CreatedAt);

                // A calibration is kept by source, and every posted reference is "request": only a labelled one has its own.
                referenceCalibration = keeper.Profile?.Performance is null ? null : Adopt(null, restored.Source, atStartup: true, entries);
                Publish();
                adopt.Reply.TrySetResult(true);
                return;
            }

            case ReferenceStatusCommand status:
                keeper.Status = status.Status;
                Publish();
                return;
            case BaselineSetCommand baseline:
            {
                baselineSet = baseline.Performance;
                var entries = new List<ModelMonitor.Audit.AuditEntry>();
                setCalibration = Adopt(baseline.Calibration, options.BaselinePath!, atStartup: true, entries);
                await publisher.RecordAsync(entries);
                Publish();
                return;
            }
            case ReplicatedCommand replicated:
                ApplyReplicated(replicated.Records);
                return;
            case ReadCommand read:
                Publish();
                read.Reply.TrySetResult(State);
                return;
        }
    }

    /// <summary>Brings back, from the audit trail, the report's totals, the window, the latest evaluation and its sequence, the alerts, the score reference and undelivered mail. Runs before the loop starts.</summary>
    public void Restore()
    {
        if (audit.Source is not { Exists: true } store)
        {
            feed.RestoreFailed();
            return;
        }

        var started = time.GetTimestamp();
        var window = new WindowReplay(options.WindowSize);
        var deliveries = new DeliveryReplay();
        IReadOnlyList<AlertRecord> firing;
        try
        {
            // With replicas, up to where the tail of the other replicas' records then starts.
            firing = MonitoringAuditRecords.Replay(feed.ForRestore(store, role.WriterId), Report, options.Enabled ? window : null, deliveries);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or InvalidOperationException or TimeoutException || StoreFailures.IsDatabase(e))
        {
            feed.RestoreFailed();
            // A damaged store must not stop the service; `modelmonitor audit verify` says where it is damaged.
            Log.MonitoringNotAudited(logger, "the audit trail could not be replayed: " + e.Message);
            return;
        }

        window.Fill(Window);
        restoredCalibrations = window.Calibrations;
        if (Report.LatestEvaluation is { } last)
        {
            // The sequence continues after the highest one in the audit, so no number is written twice.
            sequence = last.Sequence;
            latest = RestoredEvaluation(last);
            latestView = window.LatestEvaluation is { } record && record.Sequence == last.Sequence
                && EvaluationViewRecord.Read(record.Json) is { } view ? view with { RestoredFromAudit = true } : null;
        }

        if (window.LatestReference is { } reference)
        {
            // An admin's reference (or a live one) survives the restart; the configured file is scored again.
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(reference.Json);
                var read = ReferenceRecords.Read(reference.At, document.RootElement);
                keeper.RestoredReference = read.Rebuildable ? read : null;
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                Log.MonitoringNotAudited(logger, "the latest reference record could not be read (" + e.Message + "); the configured reference is used");
            }
        }

        if (window.LatestScoreReference is { } scores)
        {
            using var document = System.Text.Json.JsonDocument.Parse(scores.Json);
            var read = MonitoringAuditRecords.ReadScoreReference(scores.At, document.RootElement);
            keeper.RestoreScores(read.Sample.Count > 0 ? read : null);
        }

        var restored = Report.Build(time.GetUtcNow(), alertOptions.History);

        // Recent resolved alerts keep their history and cooldowns; every firing one comes back as firing.
        foreach (var alert in restored.LastAlerts.Reverse().Where(a => a.State == AlertState.Resolved).Concat(firing))
        {
            tracker.Restore(alert);
        }

        mailer.Recover(deliveries.Undelivered(), deliveries.DeliveredCount);
        Publish();
        var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
        Log.MonitoringRestored(logger, restored.Predictions, restored.Drift.Evaluations, firing.Count, Window.Count, elapsedMs);
    }

    private async Task ObserveAsync(ObserveCommand observe)
    {
        Report.AddPredictions(observe.At, observe.Vectors.Count);
        if (!options.Enabled)
        {
            return;
        }

        var first = Window.Add(observe.Ids, observe.Vectors, observe.At);
        var entries = keeper.Collect(observe.Ids, observe.Vectors, observe.At, first, Window);
        if (entries.Count > 0)
        {
            await publisher.RecordAsync(entries);
            Publish();
        }

        sinceEvaluation += observe.Vectors.Count;
        if (options.EvaluateEveryPredictions > 0 && sinceEvaluation >= options.EvaluateEveryPredictions)
        {
            inbox.SignalDue();
        }
    }

    private FeedbackJoin Join(string predictionId, int label)
    {
        var join = Window.Join(predictionId, label);
        if (join == FeedbackJoin.Joined && Window.PredictedLabelOf(predictionId) is { } predicted)
        {
            // The report's period accuracy counts each labelled prediction once, with its latest label.
            Report.AddLabel(predictionId, predicted == label);
        }

        return join;
    }

    private async Task<DriftEvaluation?> EvaluateAsync()
    {
        sinceEvaluation = 0;
        if (keeper.Profile is not { } profile)
        {
            return null;
        }

        // With replicas, only the leader evaluates, under a sequence number no other replica can claim.
        if (!role.IsLeader || await ClaimSequenceAsync() is not { } claimed)
        {
            return latest;
        }

        sequence = claimed - 1;
        var started = time.GetTimestamp();
        Volatile.Write(ref lastEvaluationStarted, started);
        var (window, _) = Window.Snapshot(
            profile.Source == ModelMonitor.Monitoring.Reference.ReferenceProfile.LiveSource ? keeper.ReferenceThrough : 0,
            profile.Scores == ModelMonitor.Monitoring.Reference.ScoreSource.Live ? keeper.ScoresThrough : 0);
        var evaluation = DriftEvaluator.Evaluate(++sequence, time.GetUtcNow(), profile, window, Baseline(), options.ToPolicy());
        latest = evaluation;
        latestView = null;
        if (evaluation.Skipped)
        {
            Publish();
            Log.EvaluationSkipped(logger, evaluation.Sequence, evaluation.SkippedReason!);
            return evaluation;
        }

        evaluation = WithEstimate(evaluation, window);
        latest = evaluation;
        var drifted = string.Join(", ", evaluation.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Feature));
        var (severityName, elapsedMs) = (evaluation.Severity.Name(), time.GetElapsedTime(started).TotalMilliseconds);
        Log.Evaluated(logger, evaluation.Sequence, severityName, evaluation.Diagnosis, evaluation.Window.Count, evaluation.Window.Labelled, drifted, elapsedMs);
        var changes = tracker.Observe(evaluation);

        // Readers see the evaluation and its alerts once they are committed.
        await publisher.PublishAsync(evaluation, changes, Report);
        Publish();
        return evaluation;
    }

    /// <summary>
    /// The estimator to use for a labelled set: at startup, the one the audit kept for the same set
    /// and model (the same map after a restart); else the one just fitted, which is audited.
    /// </summary>
    private Calibration? Adopt(Calibration? fitted, string source, bool atStartup, List<ModelMonitor.Audit.AuditEntry> entries)
    {
        if (atStartup && restoredCalibrations.TryGetValue(source, out var restored) && restored.ModelSha256 == host.Classifier.Model.Sha256 && options.EstimatePerformance)
        {
            return restored.Calibration;
        }

        if (fitted is not null)
        {
            entries.Add(fitted.Record(host.Classifier.Model.Sha256, time.GetUtcNow()));
        }

        return fitted;
    }

    /// <summary>The window's estimated performance, and the critical alert an estimated drop raises while no labels judge the window.</summary>
    private DriftEvaluation WithEstimate(DriftEvaluation evaluation, WindowSample window)
    {
        if ((setCalibration ?? referenceCalibration) is not { } calibration
            || EstimatedPerformance.For(calibration.Estimator, calibration.Source, window.Vectors, window.Truth, options.MinWindowSize) is not { } estimated)
        {
            return evaluation;
        }

        evaluation = evaluation with { Estimated = estimated };
        if (estimated.Judge(evaluation.Baseline, options.ToPolicy(), judgedOnLabels: evaluation.Judgement is not null) is not { } breach)
        {
            return evaluation;
        }

        return evaluation with
        {
            Breaches = [.. evaluation.Breaches.Where(b => b.Type != breach.Type), breach],
            Severity = breach.Severity > evaluation.Severity ? breach.Severity : evaluation.Severity,
            Diagnosis = evaluation.Diagnosis == "none" ? Playbook.EstimatedDiagnosis : evaluation.Diagnosis,
        };
    }

    private ModelMonitor.Monitoring.Performance.PerformanceBaseline Baseline() => BaselineResolver.Resolve(options, baselineSet, keeper.Profile);

    private void Publish() => Volatile.Write(ref state, Snapshot());

    private MonitorSnapshot Snapshot() => new(
        keeper.Profile,
        keeper.Status,
        latest,
        Baseline(),
        tracker.Active,
        tracker.Recent,
        Window.Count,
        keeper.ScoresCollected,
        options.LiveReferenceSize,
        setCalibration ?? referenceCalibration)
    {
        LatestView = latestView,
    };

    private static DriftEvaluation RestoredEvaluation(EvaluationSummary last) => new(
        last.Sequence,
        last.At,
        new WindowInfo(last.Window, last.Labelled, null, null),
        0,
        last.Skipped ? "Restored from the audit trail: this evaluation was skipped." : null,
        [],
        null,
        ModelMonitor.Monitoring.Performance.PerformanceBaseline.None,
        [],
        last.Severity,
        last.Diagnosis)
    {
        RestoredFromAudit = true,
    };
}
