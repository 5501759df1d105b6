using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Auditing;

/// <summary>A rejected (warning) or failed (error) request, captured while its HttpContext was alive.</summary>
internal sealed record ProblemEvent(string Kind, DateTimeOffset At, string RequestId, string Method, string Path, int PathLength, int Status, string Detail, int DetailLength);

/// <summary>
/// Writes rejected and failed requests to the audit, bounded in size and volume. The single writer
/// of its state: requests post events; this service drains them. Each error is written; of
/// identical warnings within <see cref="AuditOptions.WarningAggregationSeconds"/>, the first is
/// written and the rest are counted into one <c>warning_summary</c> record, so a flood of identical
/// 404s costs one record a window instead of one per request. Nothing is dropped silently: if the
/// queue overflows, the next record says how many events were lost.
/// </summary>
internal sealed class ProblemRecorder(AuditTrail audit, IOptions<AuditOptions> options, TimeProvider time, ILogger<ProblemRecorder> logger) : BackgroundService
{
    public const string SummaryKind = "warning_summary";
    private const int MaxOpenWindows = 10_000;

    private readonly Channel<ProblemEvent?> channel = Channel.CreateBounded<ProblemEvent?>(new BoundedChannelOptions(65_536) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<(string, int, string, string, string), Window> windows = [];
    private long overflowed;

    /// <summary>Posts an event; never blocks.</summary>
    public void Post(ProblemEvent problem)
    {
        if (!channel.Writer.TryWrite(problem))
        {
            Interlocked.Increment(ref overflowed);
        }
    }

    /// <summary>Completes once every event posted so far has been written (for shutdown and tests).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (flushes)
        {
            flushes.Add(done);
        }

        channel.Writer.TryWrite(null);
        await done.Task.WaitAsync(cancellationToken);
    }

    private readonly List<TaskCompletionSource> flushes = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var window = TimeSpan.FromSeconds(options.Value.WarningAggregationSeconds);
        using var tick = window > TimeSpan.Zero
            ? time.CreateTimer(_ => channel.Writer.TryWrite(null), null, window / 2, window / 2)
            : null;
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                while (channel.Reader.TryRead(out var problem))
                {
                    await (problem is null ? CloseExpiredAsync(window, all: false) : RecordAsync(problem, window));
                }

                CompleteFlushes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is queued, then every open count.
        while (channel.Reader.TryRead(out var problem))
        {
            if (problem is not null)
            {
                await RecordAsync(problem, window);
            }
        }

        await CloseExpiredAsync(window, all: true);
        CompleteFlushes();
    }

    private void CompleteFlushes()
    {
        lock (flushes)
        {
            foreach (var flush in flushes)
            {
                flush.TrySetResult();
            }

            flushes.Clear();
        }
    }

    private async Task RecordAsync(ProblemEvent problem, TimeSpan window)
    {
        if (problem.Kind != "warning" || window <= TimeSpan.Zero)
        {
            await WriteAsync(Entry(problem));
            return;
        }

        var key = (problem.Kind, problem.Status, problem.Method, problem.Path, problem.Detail);
        if (windows.TryGetValue(key, out var open) && problem.At < open.Start + window)
        {
            open.Count++;
            open.Last = problem.At;
            open.LastRequestId = problem.RequestId;
            return;
        }

        if (open is not null)
        {
            await CloseAsync(key, open);
        }

        if (windows.Count >= MaxOpenWindows)
        {
            await CloseExpiredAsync(window, all: true);
        }

        windows[key] = new Window(problem);
        await WriteAsync(Entry(problem));
    }

    private async Task CloseExpiredAsync(TimeSpan window, bool all)
    {
        var now = time.GetUtcNow();
        foreach (var (key, open) in windows.Where(w => all || w.Value.Start + window <= now).ToArray())
        {
            await CloseAsync(key, open);
        }
    }

    private async Task CloseAsync((string, int, string, string, string) key, Window open)
    {
        windows.Remove(key);
        if (open.Count == 0)
        {
            return;
        }

        var first = open.First;
        Log.WarningsAggregated(logger, open.Count, first.Status, first.Method, first.Path);
        await WriteAsync(new AuditEntry(SummaryKind, open.Last, open.LastRequestId, json =>
        {
            WriteRequest(json, first);
            json.WriteNumber("repeated", open.Count);
            json.WriteString("first_at", first.At);
            json.WriteString("last_at", open.Last);
            json.WriteString("first_request_id", first.RequestId);
        }));
    }

    private AuditEntry Entry(ProblemEvent problem)
    {
        var lost = Interlocked.Exchange(ref overflowed, 0);
        return new AuditEntry(problem.Kind, problem.At, problem.RequestId, json =>
        {
            WriteRequest(json, problem);
            if (lost > 0)
            {
                json.WriteNumber("events_lost_before", lost);
            }
        });
    }

    private static void WriteRequest(System.Text.Json.Utf8JsonWriter json, ProblemEvent problem)
    {
        json.WriteString("method", problem.Method);
        json.WriteString("path", problem.Path);
        if (problem.PathLength > problem.Path.Length)
        {
            json.WriteNumber("path_length", problem.PathLength);
        }

        json.WriteNumber("status", problem.Status);
        json.WriteString("problem", problem.Detail);
        if (problem.DetailLength > problem.Detail.Length)
        {
            json.WriteNumber("problem_length", problem.DetailLength);
        }
    }

    private async Task WriteAsync(AuditEntry entry)
    {
        try
        {
            await audit.AppendAsync([entry], CancellationToken.None);
        }
        catch (AuditWriteException e)
        {
            Log.AuditProblemNotRecorded(logger, entry.RequestId ?? "-", e.Message);
        }
    }

    private sealed class Window(ProblemEvent first)
    {
        public ProblemEvent First { get; } = first;

        public DateTimeOffset Start { get; } = first.At;

        public long Count { get; set; }

        public DateTimeOffset Last { get; set; } = first.At;

        public string LastRequestId { get; set; } = first.RequestId;
    }
}
