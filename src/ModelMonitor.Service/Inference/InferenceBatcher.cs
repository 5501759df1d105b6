using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Inference;

/// <summary>The stages one request went through, in milliseconds.</summary>
internal sealed record StageTimings(double QueueMs, double InferenceMs);

/// <summary>A request's classifications, in input order, and how long it queued and ran.</summary>
internal sealed record BatchOutcome(IReadOnlyList<Classification> Results, StageTimings Timings);

/// <summary>
/// Dynamic, continuous batching. Requests arrive already tokenized and wait on a queue.
/// <see cref="BatchingOptions.Workers"/> workers each run one ONNX Runtime call at a time. A worker
/// that finds nothing waiting gathers what arrives within <see cref="BatchingOptions.MaxWaitMs"/>;
/// then, under a shared gate, it drops requests whose client left or whose deadline passed before
/// they started, sorts the waiting texts by length so neighbours pad little, cuts them into calls
/// under a text and token budget, and takes one call: the one holding the oldest request's next
/// text. It runs that call outside the gate, so other workers plan and run theirs meanwhile, then
/// completes the requests the call finished; newly arrived requests join the plan for the next call.
/// </summary>
/// <remarks>
/// The batcher returns results and does nothing else: it runs no caller code on its workers, so a
/// caller's failure cannot stop a worker, and auditing and monitoring happen in the prediction
/// pipeline (the audit log group-commits what concurrent requests append).
/// <para>
/// The requests a call finished are decided under the gate and resumed together, after it, by one
/// thread-pool work item (<see cref="Resume"/>): each runs on to its audit append in turn, so the
/// audit writer receives the call's records in one burst and wakes once, and the pool wakes one
/// thread per call instead of one per request. Resumed one by one, the records reached the writer
/// one by one and it woke and committed for each: with one text per request and 32 clients on
/// sst2-tiny that kept the service at 0.93 of the old batcher that audited per call; resumed
/// together, 0.98 (bench/results/memory.md, "Session 12").
/// </para>
/// </remarks>
internal sealed class InferenceBatcher(ModelHost host, IOptions<BatchingOptions> options, ServiceMetrics metrics, TimeProvider time) : BackgroundService
{
    private readonly Channel<WorkItem> queue = Channel.CreateUnbounded<WorkItem>();
    private readonly CallCostModel costs = new();

    /// <summary>Guards the plan: <see cref="pending"/>, the requests' progress and <see cref="costs"/>, which every worker shares.</summary>
    private readonly Lock gate = new();
    private readonly List<WorkItem> pending = [];

    /// <summary>Calls running now; under the gate.</summary>
    private int running;

    /// <summary>Requests decided under the gate and not yet resumed; under the gate.</summary>
    private List<WorkItem> settled = [];

    /// <summary>Queues a request's texts; completes with their classifications in order.</summary>
    public Task<BatchOutcome> SubmitAsync(IReadOnlyList<TokenizerEncoding> encodings, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var queued = metrics.AddQueued(encodings.Count);
        if (queued > settings.MaxQueuedTexts)
        {
            metrics.AddQueued(-encodings.Count);
            throw new QueueFullException((int)(queued - encodings.Count), settings.MaxQueuedTexts);
        }

        var item = new WorkItem(encodings, time.GetTimestamp(), time.GetUtcNow().AddMilliseconds(settings.RequestTimeoutMs), cancellationToken);
        if (!queue.Writer.TryWrite(item))
        {
            metrics.AddQueued(-encodings.Count);
            throw new ServiceStoppingException(); // the workers have stopped: the service is shutting down
        }

        return item.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Each worker runs one ONNX Runtime call at a time; with several, a call is planned,
            // run and finished while another computes, and small calls do not wait for a big one.
            await Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        queue.Writer.TryComplete();
        List<WorkItem>? stopped;
        lock (gate)
        {
            Drain(queue.Reader, pending);
            foreach (var item in pending.Where(i => !i.Settled))
            {
                metrics.AddQueued(-item.Unscheduled);
                Settle(item, c => c.TrySetException(new ServiceStoppingException()));
            }

            pending.Clear();
            stopped = TakeSettled();
        }

        Resume(stopped);
    }

    /// <summary>One worker: plan the next call from what waits, run it, finish the requests it completed; wait when nothing waits.</summary>
    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        while (true)
        {
            Call? call;
            List<WorkItem>? dropped;
            lock (gate)
            {
                // Continuous batching: requests that arrived while calls ran join the plan for the next one.
                Drain(reader, pending);
                Admit(pending);
                call = PlanNextCall(pending);
                if (call is not null)
                {
                    // Alone: no other call runs and nothing else waits, so this one may take every core
                    // (the model's solo session). A call that arrives meanwhile runs beside it as usual.
                    call = call with { Alone = options.Value.SoloCalls && running == 0 && !Waiting(pending) };
                    running++;
                }

                dropped = TakeSettled();
            }

            Resume(dropped);
            if (call is null)
            {
                if (!await reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                await GatherAsync(reader, stoppingToken);
                continue;
            }

            var outcome = Run(call);
            List<WorkItem>? finished;
            lock (gate)
            {
                running--;
                Deliver(call, outcome);
                Finish(pending);
                finished = TakeSettled();
            }

            Resume(finished);
        }
    }

    /// <summary>Records how a request ends (<paramref name="complete"/> is applied to its completion by <see cref="Resume"/>, off the gate); its first end stands. Called under the gate.</summary>
    private void Settle(WorkItem item, Action<TaskCompletionSource<BatchOutcome>> complete)
    {
        if (item.Settle(complete))
        {
            settled.Add(item);
        }
    }

    /// <summary>The requests decided since the last call, for <see cref="Resume"/>; null when none. Called under the gate.</summary>
    private List<WorkItem>? TakeSettled()
    {
        if (settled.Count == 0)
        {
            return null; // never the live list: Resume reads what it gets outside the gate
        }

        var taken = settled;
        settled = [];
        return taken;
    }

    /// <summary>
    /// Resumes the waiting requests, outside the gate and off the worker: one thread-pool work item
    /// completes them all, and each request's continuation runs there up to its next wait.
    /// </summary>
    private static void Resume(List<WorkItem>? items)
    {
        if (items is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static items => items.ForEach(item => item.Resume()), items, preferLocal: false);
        }
    }

    /// <summary>After a quiet spell, keeps taking arrivals for up to MaxWaitMs or until a full batch is waiting.</summary>
    private async Task GatherAsync(ChannelReader<WorkItem> reader, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.MaxWaitMs <= 0)
        {
            return;
        }

        var until = time.GetTimestamp() + (long)(settings.MaxWaitMs * time.TimestampFrequency / 1000);
        var texts = 0;
        while (true)
        {
            lock (gate)
            {
                texts += Drain(reader, pending);
            }

            var remaining = until - time.GetTimestamp();
            if (texts >= settings.MaxBatchTexts || remaining <= 0)
            {
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds((double)remaining / time.TimestampFrequency));
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static int Drain(ChannelReader<WorkItem> reader, List<WorkItem> pending)
    {
        var texts = 0;
        while (reader.TryRead(out var item))
        {
            pending.Add(item);
            texts += item.Encodings.Count;
        }

        return texts;
    }

    /// <summary>Drops requests that have not started when their client left or their deadline passed.</summary>
    private void Admit(List<WorkItem> pending)
    {
        var now = time.GetUtcNow();
        pending.RemoveAll(item =>
        {
            if (item.Started)
            {
                return false;
            }

            if (item.Cancellation.IsCancellationRequested)
            {
                metrics.AddQueued(-item.Unscheduled);
                Settle(item, c => c.TrySetCanceled(item.Cancellation)); // the client went away: do not spend inference on it
                return true;
            }

            if (now > item.Deadline)
            {
                metrics.AddQueued(-item.Unscheduled);
                var waited = new DeadlineExceededException(time.GetElapsedTime(item.Enqueued).TotalMilliseconds);
                Settle(item, c => c.TrySetException(waited));
                return true;
            }

            return false;
        });
    }

    /// <summary>
    /// Plans every waiting text (sorted by length, cut under the budgets) and takes one call: the
    /// one holding the oldest request's next text, so no request starves behind newer ones. Its
    /// texts are marked scheduled; null when no text waits. Called under the gate.
    /// </summary>
    private Call? PlanNextCall(List<WorkItem> pending)
    {
        var settings = options.Value;
        var texts = new List<(WorkItem Item, int Index)>();
        foreach (var item in pending)
        {
            for (var i = 0; i < item.Encodings.Count; i++)
            {
                if (!item.Scheduled[i] && !item.Settled)
                {
                    texts.Add((item, i));
                }
            }
        }

        if (texts.Count == 0)
        {
            return null;
        }

        texts.Sort((a, b) => a.Item.Encodings[a.Index].Length.CompareTo(b.Item.Encodings[b.Index].Length));
        var oldest = texts.MinBy(t => t.Item.Enqueued).Item;
        var anchor = texts.FindIndex(t => ReferenceEquals(t.Item, oldest));
        var lengths = texts.Select(t => t.Item.Encodings[t.Index].Length).ToArray();
        var cuts = settings.CutPolicy == CutPolicy.CostModel && costs.OverheadTokens is { } overhead
            ? CostCut(lengths, settings, overhead)
            : Cut(lengths, settings);
        var (start, count) = cuts.First(c => anchor >= c.Start && anchor < c.Start + c.Count);
        var batch = texts.GetRange(start, count);
        foreach (var (item, index) in batch)
        {
            if (!item.Started)
            {
                item.Started = true;
                item.InferenceStarted = time.GetTimestamp();
                item.QueueMs = time.GetElapsedTime(item.Enqueued, item.InferenceStarted).TotalMilliseconds;
            }

            item.Scheduled[index] = true;
            item.Unscheduled--;
        }

        metrics.AddQueued(-batch.Count);
        return new Call(batch, [.. batch.Select(t => t.Item.Encodings[t.Index])]);
    }

    /// <summary>Runs one call outside the gate: its classifications, or what it failed with.</summary>
    private CallOutcome Run(Call call)
    {
        var started = time.GetTimestamp();
        metrics.CallStarted();
        try
        {
            var results = host.Classifier.Classify(call.Encodings, call.Alone);
            return new CallOutcome(results, null, time.GetElapsedTime(started));
        }
        catch (ObjectDisposedException)
        {
            // The model was unloaded (shutdown) before this call could start.
            return new CallOutcome(null, new ServiceStoppingException(), time.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // a failed call fails its requests; the workers must go on for the next ones
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new CallOutcome(null, e, time.GetElapsedTime(started));
        }
        finally
        {
            metrics.CallEnded();
        }
    }

    /// <summary>Hands a call's results to its requests, or fails them. Called under the gate.</summary>
    private void Deliver(Call call, CallOutcome outcome)
    {
        if (outcome.Results is not { } results)
        {
            foreach (var (item, _) in call.Texts)
            {
                Settle(item, c => c.TrySetException(outcome.Failure!));
            }

            return;
        }

        var padded = call.Encodings.Length * call.Encodings.Max(e => e.Length);
        if (call.Alone && host.Classifier.SoloSession is not null)
        {
            metrics.SoloCalls.Inc();
        }
        else
        {
            // The cost model plans calls under load; a lone call on every core would bias it.
            costs.Observe(padded, outcome.Elapsed.TotalSeconds);
        }

        metrics.InferenceDuration.Observe(outcome.Elapsed.TotalSeconds);

        metrics.BatchSize.Observe(call.Encodings.Length);
        metrics.BatchTokens.Observe(padded);
        for (var i = 0; i < call.Texts.Count; i++)
        {
            var (item, index) = call.Texts[i];
            item.Deliver(index, results[i]);
        }

        // A request's inference stage runs from its first call's start to its last call's end:
        // its texts may be split over calls that ran one after another or at once.
        foreach (var item in call.Texts.Select(t => t.Item).Distinct())
        {
            item.InferenceMs = time.GetElapsedTime(item.InferenceStarted).TotalMilliseconds;
        }
    }

    /// <summary>Completes the requests whose texts are all classified, and forgets the finished and failed ones. Called under the gate.</summary>
    private void Finish(List<WorkItem> pending)
    {
        var done = pending.Where(i => i.Ready).ToArray();
        foreach (var failed in pending.Where(i => i.Settled))
        {
            metrics.AddQueued(-failed.Unscheduled); // a failed call failed its requests; their other texts will not run
        }

        pending.RemoveAll(i => i.Ready || i.Settled);
        foreach (var item in done)
        {
            var outcome = new BatchOutcome(item.Results, new StageTimings(item.QueueMs, item.InferenceMs));
            Settle(item, c => c.TrySetResult(outcome));
        }
    }

    /// <summary>
    /// Cuts lengths sorted ascending into calls. A call takes the next text while it stays under
    /// the text and padded-token budgets and its padded tokens (count × longest) stay within
    /// MaxPaddingRatio of its real tokens. The first text of a call always fits.
    /// </summary>
    internal static List<(int Start, int Count)> Cut(IReadOnlyList<int> sortedLengths, BatchingOptions settings)
    {
        var cuts = new List<(int, int)>();
        var start = 0;
        while (start < sortedLengths.Count)
        {
            long real = sortedLengths[start];
            var end = start + 1;
            while (end < sortedLengths.Count && end - start < settings.MaxBatchTexts)
            {
                var longest = sortedLengths[end];
                var padded = (long)(end - start + 1) * longest;
                if (padded > settings.MaxBatchTokens || padded > settings.MaxPaddingRatio * (real + longest))
                {
                    break;
                }

                real += longest;
                end++;
            }

            cuts.Add((start, end - start));
            start = end;
        }

        return cuts;
    }

    /// <summary>
    /// Cuts lengths sorted ascending into the calls that minimise the estimated total time, each
    /// call costing <paramref name="overheadTokens"/> plus its padded tokens (count × longest),
    /// under the text and token budgets. Dynamic programming over the sorted lengths:
    /// O(n × MaxBatchTexts).
    /// </summary>
    internal static List<(int Start, int Count)> CostCut(IReadOnlyList<int> sortedLengths, BatchingOptions settings, double overheadTokens)
    {
        var n = sortedLengths.Count;
        var best = new double[n + 1];
        var from = new int[n + 1];
        for (var end = 1; end <= n; end++)
        {
            best[end] = double.PositiveInfinity;
            var longest = sortedLengths[end - 1];
            for (var start = end - 1; start >= 0 && end - start <= settings.MaxBatchTexts; start--)
            {
                var padded = (long)(end - start) * longest;
                if (padded > settings.MaxBatchTokens && end - start > 1)
                {
                    break;
                }

                var cost = best[start] + overheadTokens + padded;
                if (cost < best[end])
                {
                    best[end] = cost;
                    from[end] = start;
                }
            }
        }

        var cuts = new List<(int, int)>();
        for (var end = n; end > 0; end = from[end])
        {
            cuts.Add((from[end], end - from[end]));
        }

        cuts.Reverse();
        return cuts;
    }

    private sealed record Call(List<(WorkItem Item, int Index)> Texts, TokenizerEncoding[] Encodings)
    {
        /// <summary>Planned while no other call ran and nothing else waited.</summary>
        public bool Alone { get; init; }
    }

    /// <summary>Whether any request still has a text not yet scheduled. Called under the gate.</summary>
    private static bool Waiting(List<WorkItem> pending) => pending.Exists(item => item.Unscheduled > 0 && !item.Settled);

    private sealed record CallOutcome(IReadOnlyList<Classification>? Results, Exception? Failure, TimeSpan Elapsed);

    private sealed class WorkItem(IReadOnlyList<TokenizerEncoding> encodings, long enqueued, DateTimeOffset deadline, CancellationToken cancellation)
    {
        private readonly Classification[] results = new Classification[encodings.Count];
        private int remaining = encodings.Count;
        private Action<TaskCompletionSource<BatchOutcome>>? end;

        public IReadOnlyList<TokenizerEncoding> Encodings { get; } = encodings;

        /// <summary>Which texts have gone into a call.</summary>
        public bool[] Scheduled { get; } = new bool[encodings.Count];

        /// <summary>Texts not yet in a call.</summary>
        public int Unscheduled { get; set; } = encodings.Count;

        /// <summary>At least one text has gone into a call: the request is no longer dropped for its deadline.</summary>
        public bool Started { get; set; }

        public IReadOnlyList<Classification> Results => results;

        /// <summary>Every text has its result and nothing failed: ready to complete.</summary>
        public bool Ready => remaining == 0 && !Settled;

        /// <summary>Decided (results or a failure) under the gate; the request waits for <see cref="Resume"/>.</summary>
        public bool Settled => end is not null;

        public long Enqueued { get; } = enqueued;

        public DateTimeOffset Deadline { get; } = deadline;

        public CancellationToken Cancellation { get; } = cancellation;

        public double QueueMs { get; set; }

        /// <summary>When the request's first call was planned (a timestamp of the batcher's TimeProvider).</summary>
        public long InferenceStarted { get; set; }

        public double InferenceMs { get; set; }

        // Continuations run where Resume runs (one work item per call, off the gate), not on the batcher's workers.
        public TaskCompletionSource<BatchOutcome> Completion { get; } = new(TaskCreationOptions.None);

        public void Deliver(int index, Classification result)
        {
            results[index] = result;
            remaining--;
        }

        /// <summary>False when the request was decided already (its first end stands).</summary>
        public bool Settle(Action<TaskCompletionSource<BatchOutcome>> complete)
        {
            if (Settled)
            {
                return false;
            }

            end = complete;
            return true;
        }

        public void Resume() => end!(Completion);
    }
}
