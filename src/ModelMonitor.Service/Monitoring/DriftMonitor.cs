using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// What the rest of the service sees of the drift monitor. It changes nothing itself: every change
/// is a command queued to the single writer (<see cref="MonitorCore"/>), and every read is its
/// latest immutable snapshot, or, where a caller needs its own changes included, a snapshot taken
/// in turn after them (<see cref="ReadAsync"/>). Scoring a reference, the one long job, runs here,
/// off the writer's loop, and only its result is queued.
/// </summary>
internal sealed class DriftMonitor(MonitorCore core, MonitorInbox inbox, ModelHost host, IOptions<DriftOptions> options, TimeProvider time, ILogger<DriftMonitor> logger)
{
    public bool Enabled => options.Value.Enabled;

    /// <summary>The latest snapshot: for metrics and the prediction response, which need no read-your-writes.</summary>
    public MonitorSnapshot State => core.State;

    public ReportBuilder Report => core.Report;

    /// <summary>Predictions in the window now.</summary>
    public int WindowCount => core.Window.Count;

    /// <summary>Served (and audited) predictions join the window. Waits only when the queue is full; after shutdown began, the audit keeps them and a restart replays them.</summary>
    public async ValueTask ObserveAsync(IReadOnlyList<string?>? ids, IReadOnlyList<TextFeatureVector> vectors, DateTimeOffset at) =>
        await inbox.PostAsync(new ObserveCommand(ids, vectors, at), CancellationToken.None);

    /// <summary>Joins true labels to predictions in the window; the caller audits them.</summary>
    public Task<FeedbackJoin[]> FeedbackAsync(IReadOnlyList<(string PredictionId, int Label)> items, CancellationToken cancellationToken) =>
        AskAsync<FeedbackJoin[]>(reply => new FeedbackCommand(items, reply), cancellationToken);

    /// <summary>Feedback stored in the audit counts in the report.</summary>
    public async ValueTask FeedbackStoredAsync(DateTimeOffset at, int stored, int joined) =>
        await inbox.PostAsync(new FeedbackStoredCommand(at, stored, joined), CancellationToken.None);

    /// <summary>Judges the window now, after every change queued before.</summary>
    public Task<DriftEvaluation?> EvaluateAsync(CancellationToken cancellationToken) =>
        AskAsync<DriftEvaluation?>(reply => new EvaluateCommand(reply), cancellationToken);

    /// <summary>Makes the window's predictions the reference (an admin re-baseline); null when it holds too few.</summary>
    public Task<ReferenceProfile?> RebaselineFromWindowAsync(CancellationToken cancellationToken) =>
        AskAsync<ReferenceProfile?>(reply => new RebaselineCommand(reply), cancellationToken);

    /// <summary>A snapshot that includes every change queued before this call.</summary>
    public Task<MonitorSnapshot> ReadAsync(CancellationToken cancellationToken) =>
        AskAsync<MonitorSnapshot>(reply => new ReadCommand(reply), cancellationToken);

    /// <summary>
    /// Scores the configured reference file (or, with texts given, those) and makes it current.
    /// At startup (<paramref name="atStartup"/>) a live score reference restored from the audit is
    /// kept; an admin's new reference starts a new one.
    /// </summary>
    /// <remarks>With <paramref name="replicatedAt"/>, the file is scored again because another replica did so at that time: the audit has its record already.</remarks>
    public async Task<ReferenceProfile> BuildReferenceAsync(IReadOnlyList<ReferenceText>? texts, string source, CancellationToken cancellationToken, bool atStartup = false, DateTimeOffset? replicatedAt = null)
    {
        var settings = options.Value;
        var classifier = host.Classifier;
        PhraseBankSummary? phraseBank = null;
        var ignoredLabels = 0;
        try
        {
            if (texts is null)
            {
                (texts, phraseBank) = ReferenceScorer.ReadFile(settings);
            }

            var total = texts.Count;
            var note = phraseBank is { Dropped: true } ? $"phrase bank: kept {phraseBank.Kept} maximal texts of {phraseBank.Texts}" : null;
            await PostAsync(new ReferenceStatusCommand(new ReferenceStatus("loading", source, 0, total, note)), cancellationToken);

            // Progress goes to the writer in steps of 1%, and to the log in steps of 10%.
            var (statusStep, logStep) = (Math.Max(1, total / 100), Math.Max(1, total / 10));
            var (nextStatus, nextLog) = (statusStep, logStep);
            var scored = await Task.Run(
                () => ReferenceScorer.Score(classifier, source, texts, phraseBank, settings.Bins, settings.GroupCorrelation, time.GetUtcNow(), (done, all) =>
                {
                    if (done >= nextStatus || done == all)
                    {
                        nextStatus += statusStep;
                        _ = inbox.PostAsync(new ReferenceStatusCommand(new ReferenceStatus("loading", source, done, all, note)), cancellationToken).AsTask();
                    }

                    if (done >= nextLog || done == all)
                    {
                        nextLog += logStep;
                        Log.ReferenceProgress(logger, "loading", source, done, all);
                    }
                }, (count, example) =>
                {
                    ignoredLabels = count;
                    Log.ReferenceLabelsIgnored(logger, source, count, example, string.Join(", ", classifier.Model.Labels));
                }, cancellationToken),
                cancellationToken);
            var ignored = ignoredLabels > 0 ? $"{ignoredLabels} label(s) are not the model's labels and were ignored" : null;
            var calibration = scored.Profile.Performance is null ? null : Calibration.Fit(scored, source, settings, logger);
            var inputs = texts is null || phraseBank is not null ? null : new ModelMonitor.Monitoring.Reports.ReferenceInputs(scored.Vectors, scored.Truth, null);
            return await AskAsync<ReferenceProfile>(reply => new ActivateReferenceCommand(scored.Profile, ignored, atStartup, calibration, inputs, replicatedAt, reply), cancellationToken);
        }
        catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
        {
            await PostAsync(new ReferenceStatusCommand(new ReferenceStatus("failed", source, 0, 0, e.Message)), CancellationToken.None);
            Log.ReferenceFailed(logger, source, e.Message);
            throw;
        }
    }

    /// <summary>Once the model is loaded, makes the reference kept in the audit from before the restart current again; false when there is none to keep.</summary>
    public Task<bool> AdoptRestoredReferenceAsync(CancellationToken cancellationToken) =>
        AskAsync<bool>(reply => new AdoptRestoredReferenceCommand(reply), cancellationToken);

    /// <summary>
    /// Scores the labelled baseline set (Drift:BaselinePath) once, so its accuracy and F1 can be the
    /// baseline. A failure is logged and leaves no baseline set; the service keeps serving.
    /// </summary>
    public async Task LoadBaselineSetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BaselinePath))
        {
            return;
        }

        var classifier = host.Classifier;
        try
        {
            var texts = ReferenceFileReader.Read(ModelPathResolver.Resolve(settings.BaselinePath), settings.ReferenceTextColumn, settings.ReferenceLabelColumn);
            var scored = await Task.Run(
                () => ReferenceScorer.Score(classifier, settings.BaselinePath, texts, null, settings.Bins, settings.GroupCorrelation, time.GetUtcNow(), (_, _) => { }, (count, example) => Log.ReferenceLabelsIgnored(logger, settings.BaselinePath, count, example, string.Join(", ", classifier.Model.Labels)), cancellationToken),
                cancellationToken);
            if (scored.Profile.Performance is not { } performance)
            {
                Log.BaselineSetFailed(logger, settings.BaselinePath, "it has no label the model knows");
                return;
            }

            await PostAsync(new BaselineSetCommand(performance, Calibration.Fit(scored, settings.BaselinePath, settings, logger)), cancellationToken);
            Log.BaselineSetReady(logger, settings.BaselinePath, performance.Labelled, performance.Accuracy, performance.F1Macro);
        }
        catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
        {
            Log.BaselineSetFailed(logger, settings.BaselinePath, e.Message);
        }
    }

    /// <summary>
    /// Waits for the interval, or until <see cref="DriftOptions.EvaluateEveryPredictions"/> new
    /// predictions arrived, but no sooner than <see cref="DriftOptions.MinEvaluationSeconds"/> after
    /// the last evaluation began.
    /// </summary>
    public async Task WaitForDueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = inbox.Due.WaitToReadAsync(either.Token).AsTask();
        var elapsed = Task.Delay(interval, time, either.Token);
        await Task.WhenAny(signalled, elapsed);
        var byCount = signalled.IsCompletedSuccessfully;
        await either.CancelAsync();
        inbox.Due.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();

        // Under heavy traffic "every N predictions" comes many times a second, and each evaluation
        // judges a window mostly judged already: the spacing bounds what monitoring costs the model.
        var last = core.LastEvaluationStarted;
        var wait = last == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(options.Value.MinEvaluationSeconds) - time.GetElapsedTime(last);
        if (byCount && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task PostAsync(MonitorCommand command, CancellationToken cancellationToken)
    {
        if (!await inbox.PostAsync(command, cancellationToken))
        {
            throw new ServiceStoppingException();
        }
    }

    private async Task<T> AskAsync<T>(Func<TaskCompletionSource<T>, MonitorCommand> command, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await PostAsync(command(reply), cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }
}
