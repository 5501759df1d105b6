using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Inference;

/// <summary>The stages one request went through, in milliseconds.</summary>
internal sealed record StageTimings(double QueueMs, double InferenceMs);

/// <summary>
/// A request's classifications, how long it queued and ran, and its audit record ids; or the audit
/// failure, which the endpoint turns into 503 (fail-closed) or a loud log line (fail-open).
/// </summary>
internal sealed record BatchOutcome(IReadOnlyList<Classification> Results, StageTimings Timings, IReadOnlyList<string>? AuditIds, AuditWriteException? AuditFailure);

/// <summary>
/// Dynamic, continuous batching. Requests arrive already tokenized and wait on a queue; one
/// inference loop gathers what arrived within <see cref="BatchingOptions.MaxWaitMs"/> of the first
/// request, drops requests whose client left or whose deadline passed before they started, sorts
/// the waiting texts by length so neighbours pad little, cuts them into ONNX Runtime calls under a
/// text and token budget, and runs one call: the one holding the oldest request's next text. After
/// every call, finished requests complete and newly arrived ones join the plan for the next call.
/// </summary>
/// <remarks>
/// When a request brings audit entries, its results are held until its records are committed;
/// the requests finished by one call commit together, while the next call computes.
/// </remarks>
internal sealed class InferenceBatcher(ModelHost host, AuditTrail audit, IOptions<BatchingOptions> options, ServiceMetrics metrics, TimeProvider time) : BackgroundService
{
    private readonly Channel<WorkItem> queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CallCostModel costs = new();

    /// <summary>
    /// Queues a request's texts; completes with their classifications in order, after their audit
    /// records (built by <paramref name="auditEntries"/> from the results) are committed.
    /// </summary>
    public Task<BatchOutcome> SubmitAsync(IReadOnlyList<TokenizerEncoding> encodings, Func<IReadOnlyList<Classification>, AuditEntry[]>? auditEntries, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var queued = metrics.AddQueued(encodings.Count);
        if (queued > settings.MaxQueuedTexts)
        {
            metrics.AddQueued(-encodings.Count);
            throw new QueueFullException((int)(queued - encodings.Count), settings.MaxQueuedTexts);
        }

        var item = new WorkItem(encodings, auditEntries, time.GetTimestamp(), time.GetUtcNow().AddMilliseconds(settings.RequestTimeoutMs), cancellationToken);
        if (!queue.Writer.TryWrite(item))
        {
            metrics.AddQueued(-encodings.Count);
            throw new InvalidOperationException("The inference queue is closed.");
        }

        return item.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var pending = new List<WorkItem>();
        try
        {
            while (true)
            {
                if (pending.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(stoppingToken))
                    {
                        break;
                    }

                    await GatherAsync(reader, pending, stoppingToken);
                }
                else
                {
                    // Continuous batching: requests that arrived while the last call ran join the plan for the next one.
                    Drain(reader, pending);
                }

                Admit(pending);
                if (pending.Count > 0)
                {
                    RunNextCall(pending);
                    Finish(pending);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        queue.Writer.TryComplete();
        while (reader.TryRead(out var left))
        {
            pending.Add(left);
        }

        foreach (var item in pending)
        {
            metrics.AddQueued(-item.Unscheduled);
            item.Completion.TrySetException(new OperationCanceledException("The service is shutting down."));
        }
    }

    /// <summary>Takes what is queued, then keeps taking for up to MaxWaitMs or until a full batch is waiting.</summary>
    private async Task GatherAsync(ChannelReader<WorkItem> reader, List<WorkItem> pending, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var texts = Drain(reader, pending);
        if (settings.MaxWaitMs <= 0)
        {
            return;
        }

        var until = time.GetTimestamp() + (long)(settings.MaxWaitMs * time.TimestampFrequency / 1000);
        while (texts < settings.MaxBatchTexts)
        {
            var remaining = until - time.GetTimestamp();
            if (remaining <= 0)
            {
                break;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds((double)remaining / time.TimestampFrequency));
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break;
            }

            texts += Drain(reader, pending);
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
                item.Completion.TrySetCanceled(item.Cancellation); // the client went away: do not spend inference on it
                return true;
            }

            if (now > item.Deadline)
            {
                metrics.AddQueued(-item.Unscheduled);
                item.Completion.TrySetException(new DeadlineExceededException(time.GetElapsedTime(item.Enqueued).TotalMilliseconds));
                return true;
            }

            return false;
        });
    }

    /// <summary>
    /// Plans every waiting text (sorted by length, cut under the budgets) and runs one call: the
    /// one holding the oldest request's next text, so no request starves behind newer ones.
    /// </summary>
    private void RunNextCall(List<WorkItem> pending)
    {
        var settings = options.Value;
        var texts = new List<(WorkItem Item, int Index)>();
        foreach (var item in pending)
        {
            for (var i = 0; i < item.Encodings.Count; i++)
            {
                if (!item.Scheduled[i])
                {
                    texts.Add((item, i));
                }
            }
        }

        if (texts.Count == 0)
        {
            return;
        }

        texts.Sort((a, b) => a.Item.Encodings[a.Index].Length.CompareTo(b.Item.Encodings[b.Index].Length));
        var oldest = pending.Where(i => i.Unscheduled > 0).MinBy(i => i.Enqueued)!;
        var anchor = texts.FindIndex(t => ReferenceEquals(t.Item, oldest));
        var lengths = texts.Select(t => t.Item.Encodings[t.Index].Length).ToArray();
        var cuts = settings.CutPolicy == CutPolicy.CostModel && costs.OverheadTokens is { } overhead
            ? CostCut(lengths, settings, overhead)
            : Cut(lengths, settings);
        var (start, count) = cuts.First(c => anchor >= c.Start && anchor < c.Start + c.Count);
        RunBatch(texts.GetRange(start, count));
    }

    /// <summary>Completes the requests whose texts are all classified, committing their audit records together first.</summary>
    private void Finish(List<WorkItem> pending)
    {
        var done = pending.Where(i => i.Ready).ToArray();
        foreach (var failed in pending.Where(i => i.Completion.Task.IsCompleted))
        {
            metrics.AddQueued(-failed.Unscheduled); // a failed call failed its requests; their other texts will not run
        }

        pending.RemoveAll(i => i.Ready || i.Completion.Task.IsCompleted);
        var audited = done.Where(i => i.AuditEntries is not null).ToArray();
        foreach (var item in done.Where(i => i.AuditEntries is null))
        {
            item.Complete(null, null);
        }

        if (audited.Length > 0)
        {
            var entries = audited.Select(i => i.AuditEntries!(i.Results)).ToArray();
            _ = CommitAsync(audited, entries);
        }
    }

    private async Task CommitAsync(WorkItem[] items, AuditEntry[][] entries)
    {
        IReadOnlyList<string>? ids = null;
        AuditWriteException? failure = null;
        try
        {
            ids = await audit.AppendAsync(entries.SelectMany(e => e).ToArray(), CancellationToken.None);
        }
        catch (AuditWriteException e)
        {
            failure = e;
        }

        var offset = 0;
        for (var i = 0; i < items.Length; i++)
        {
            items[i].Complete(ids is null ? null : ids.Skip(offset).Take(entries[i].Length).ToArray(), failure);
            offset += entries[i].Length;
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

    private void RunBatch(List<(WorkItem Item, int Index)> batch)
    {
        var encodings = batch.Select(t => t.Item.Encodings[t.Index]).ToArray();
        foreach (var (item, index) in batch)
        {
            if (!item.Started)
            {
                item.Started = true;
                item.QueueMs = time.GetElapsedTime(item.Enqueued).TotalMilliseconds;
            }

            item.Scheduled[index] = true;
            item.Unscheduled--;
        }

        metrics.AddQueued(-batch.Count);
        var started = time.GetTimestamp();
        try
        {
            var results = host.Classifier.Classify(encodings);
            var elapsed = time.GetElapsedTime(started);
            var padded = encodings.Length * encodings.Max(e => e.Length);
            costs.Observe(padded, elapsed.TotalSeconds);
            metrics.InferenceDuration.Record(elapsed.TotalSeconds);
            metrics.BatchSize.Record(encodings.Length);
            metrics.BatchTokens.Record(padded);
            for (var i = 0; i < batch.Count; i++)
            {
                var (item, index) = batch[i];
                item.InferenceMs += elapsed.TotalMilliseconds;
                item.Deliver(index, results[i]);
            }
        }
#pragma warning disable CA1031 // a failed batch fails its requests; the loop must go on for the next ones
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var (item, _) in batch)
            {
                item.Completion.TrySetException(e);
            }
        }
    }

    private sealed class WorkItem(IReadOnlyList<TokenizerEncoding> encodings, Func<IReadOnlyList<Classification>, AuditEntry[]>? auditEntries, long enqueued, DateTimeOffset deadline, CancellationToken cancellation)
    {
        private readonly Classification[] results = new Classification[encodings.Count];
        private int remaining = encodings.Count;

        public IReadOnlyList<TokenizerEncoding> Encodings { get; } = encodings;

        public Func<IReadOnlyList<Classification>, AuditEntry[]>? AuditEntries { get; } = auditEntries;

        /// <summary>Which texts have gone into a call.</summary>
        public bool[] Scheduled { get; } = new bool[encodings.Count];

        /// <summary>Texts not yet in a call.</summary>
        public int Unscheduled { get; set; } = encodings.Count;

        /// <summary>At least one text has gone into a call: the request is no longer dropped for its deadline.</summary>
        public bool Started { get; set; }

        public IReadOnlyList<Classification> Results => results;

        /// <summary>Every text has its result and nothing failed: ready to complete.</summary>
        public bool Ready => remaining == 0 && !Completion.Task.IsCompleted;

        public long Enqueued { get; } = enqueued;

        public DateTimeOffset Deadline { get; } = deadline;

        public CancellationToken Cancellation { get; } = cancellation;

        public double QueueMs { get; set; }

        public double InferenceMs { get; set; }

        public TaskCompletionSource<BatchOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Deliver(int index, Classification result)
        {
            results[index] = result;
            remaining--;
        }

        public void Complete(IReadOnlyList<string>? ids, AuditWriteException? failure) =>
            Completion.TrySetResult(new BatchOutcome(results, new StageTimings(QueueMs, InferenceMs), ids, failure));
    }
}
