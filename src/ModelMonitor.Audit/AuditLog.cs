using System.Text.Json;
using System.Threading.Channels;

namespace ModelMonitor.Audit;

/// <summary>
/// The audit log: appenders put entries on a bounded channel; one writer (<see cref="RunAsync"/>)
/// drains it, chains and writes whole batches, commits them per <see cref="Durability"/> and only
/// then tells each appender its records' ids. A failed write is rolled back so the segment never
/// holds a half-written batch, and the appenders get an <see cref="AuditWriteException"/>.
/// </summary>
public sealed class AuditLog : IAsyncDisposable
{
    private readonly AuditSettings settings;
    private readonly TimeProvider time;
    private readonly Action<AuditNotice> notify;
    private readonly Channel<Submission> channel;
    private readonly AuditIds ids = new();
    private readonly List<byte> buffer = new(64 * 1024);
    private Stream? stream;
    private string? currentPath;
    private DateOnly currentDay;
    private long currentSize;
    private long nextSequence = 1;
    private string lastHash = AuditChain.Genesis;
    private bool opened;
    private long recordsWritten;
    private string? lastId;
    private string? headId;
    private long lastHeadWrite;
    private long bytesWritten;

    public AuditLog(AuditSettings settings, TimeProvider? time = null, Action<AuditNotice>? notify = null)
    {
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        this.time = time ?? TimeProvider.System;
        this.notify = notify ?? (_ => { });
        channel = Channel.CreateBounded<Submission>(new BoundedChannelOptions(Math.Max(1, settings.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public AuditSettings Settings => settings;

    public long RecordsWritten => Interlocked.Read(ref recordsWritten);

    public long BytesWritten => Interlocked.Read(ref bytesWritten);

    /// <summary>Fires after each committed batch with its record count and commit time.</summary>
    public event Action<int, TimeSpan>? Committed;

    /// <summary>
    /// Queues entries and completes with their record ids once they are committed (written and,
    /// in <see cref="Durability.Fsync"/> mode, fsync'd). Waits when the queue is full.
    /// </summary>
    public async Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        var submission = new Submission(entries);
        try
        {
            await channel.Writer.WriteAsync(submission, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new AuditWriteException("The audit log is shut down.", e);
        }

        return await submission.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The single writer. Runs until cancelled, then drains what was queued and closes the segment.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var reader = channel.Reader;
        var batch = new List<Submission>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                if (settings.CommitInterval > TimeSpan.Zero)
                {
                    await Task.Delay(settings.CommitInterval, time, stoppingToken);
                }

                Drain(reader, batch);
                Commit(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: accept nothing more, write what is already queued.
        channel.Writer.TryComplete();
        while (reader.TryPeek(out _))
        {
            Drain(reader, batch);
            Commit(batch);
        }

        CloseSegment();
    }

    public ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        CloseSegment();
        return ValueTask.CompletedTask;
    }

    private void Drain(ChannelReader<Submission> reader, List<Submission> batch)
    {
        batch.Clear();
        var records = 0;
        while (records < settings.MaxBatchRecords && reader.TryRead(out var submission))
        {
            batch.Add(submission);
            records += submission.Entries.Count;
        }
    }

    private void Commit(List<Submission> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            EnsureOpen();
            var assigned = WriteBatch(batch.SelectMany(s => s.Entries).ToArray());
            var offset = 0;
            foreach (var submission in batch)
            {
                submission.Completion.TrySetResult(assigned.AsSpan(offset, submission.Entries.Count).ToArray());
                offset += submission.Entries.Count;
            }

            Committed?.Invoke(assigned.Length, time.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // the single writer must survive anything one batch throws, or every later record is lost
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = e switch
            {
                AuditWriteException written => written,
                IOException or UnauthorizedAccessException or NotSupportedException => new AuditWriteException($"The audit store cannot write to {settings.Directory}: {e.Message}", e),
                _ => new AuditWriteException($"A record could not be written: {e.Message}", e),
            };
            notify(new AuditNotice(AuditNoticeLevel.Error, failure.Message, e));
            foreach (var submission in batch)
            {
                submission.Completion.TrySetException(failure);
            }
        }
    }

    /// <summary>Chains, writes and commits entries as one unit; on failure the segment is cut back to where it was.</summary>
    private string[] WriteBatch(AuditEntry[] entries)
    {
        var now = time.GetUtcNow();
        EnsureSegment(DateOnly.FromDateTime(now.UtcDateTime), now);
        buffer.Clear();
        var assigned = new string[entries.Length];
        var previous = lastHash;
        for (var i = 0; i < entries.Length; i++)
        {
            assigned[i] = ids.Next(now);
            var canonical = AuditRecordWriter.Canonical(entries[i], assigned[i], previous, settings.Tags);
            AuditChain.AppendHash(buffer, canonical, out previous);
            buffer.Add((byte)'\n');
        }

        var start = currentSize;
        try
        {
            var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer);
            stream!.Write(bytes);
            switch (settings.Durability)
            {
                case Durability.Fsync:
                    stream.Flush();
                    if (stream is FileStream file)
                    {
                        file.Flush(flushToDisk: true);
                    }

                    break;
                case Durability.Flush:
                    stream.Flush();
                    break;
            }
        }
        catch
        {
            RollBack(start);
            throw;
        }

        lastHash = previous;
        lastId = assigned[^1];
        currentSize += buffer.Count;
        if (time.GetElapsedTime(lastHeadWrite) >= settings.HeadInterval)
        {
            WriteHead();
        }

        Interlocked.Add(ref recordsWritten, entries.Length);
        Interlocked.Add(ref bytesWritten, buffer.Count);
        return assigned;
    }

    private void RollBack(long length)
    {
        try
        {
            stream!.SetLength(length);
            stream.Position = length;
        }
#pragma warning disable CA1031 // the write already failed; if the cut fails too, start a fresh segment instead
        catch
#pragma warning restore CA1031
        {
            CloseSegment();
        }
    }

    /// <summary>First use: create the folder, recover a torn tail, and continue the chain from the newest record.</summary>
    private void EnsureOpen()
    {
        if (opened)
        {
            return;
        }

        Directory.CreateDirectory(settings.Directory);
        var segments = AuditSegments.List(settings.Directory);
        if (segments.Count > 0)
        {
            var quarantined = AuditSegments.QuarantineTornTail(segments[^1], time.GetUtcNow());
            if (quarantined is not null)
            {
                notify(new AuditNotice(AuditNoticeLevel.Warning, $"Recovered a torn last line in {Path.GetFileName(segments[^1])} (a crash during a write); its bytes were moved to {quarantined}."));
            }

            nextSequence = AuditSegments.SequenceOf(segments[^1]) + 1;
            foreach (var segment in segments.Reverse())
            {
                var last = AuditSegments.ReadLines(segment).LastOrDefault();
                if (last.Line is { Length: > 0 } line && AuditChain.TrySplit(line, out var canonical, out var hash))
                {
                    lastHash = hash;
                    using var document = JsonDocument.Parse(canonical);
                    ids.StartAfter(document.RootElement.GetProperty("id").GetString());
                    break;
                }
            }

            // Keep appending to today's newest segment if it has room.
            var newest = segments[^1];
            if (AuditSegments.DayOf(newest) == DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) && new FileInfo(newest).Length < settings.MaxSegmentBytes)
            {
                OpenSegment(newest, AuditSegments.DayOf(newest));
            }
        }

        opened = true;
        ApplyRetention(time.GetUtcNow());
    }

    private void EnsureSegment(DateOnly day, DateTimeOffset now)
    {
        if (stream is not null && currentDay == day && currentSize < settings.MaxSegmentBytes)
        {
            return;
        }

        var rotating = stream is not null;
        CloseSegment();
        OpenSegment(Path.Combine(settings.Directory, AuditSegments.NameFor(day, nextSequence++)), day);
        if (rotating)
        {
            ApplyRetention(now);
        }
    }

    private void OpenSegment(string path, DateOnly day)
    {
        var opened = settings.OpenForAppend(path);
        opened.Seek(0, SeekOrigin.End);
        stream = opened;
        currentPath = path;
        currentDay = day;
        currentSize = opened.Length;
    }

    private void WriteHead()
    {
        lastHeadWrite = time.GetTimestamp();
        if (lastId is null || lastId == headId)
        {
            return;
        }

        AuditHead.Write(settings.Directory, lastId, lastHash);
        headId = lastId;
    }

    private void CloseSegment()
    {
        if (stream is null)
        {
            return;
        }

        try
        {
            WriteHead();
        }
        catch (IOException e)
        {
            notify(new AuditNotice(AuditNoticeLevel.Error, $"Writing {AuditHead.FileName} failed: {e.Message}", e));
        }

        try
        {
            stream.Flush();
            if (stream is FileStream file && settings.Durability != Durability.None)
            {
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException e)
        {
            notify(new AuditNotice(AuditNoticeLevel.Error, $"Closing {currentPath} failed: {e.Message}", e));
        }
        finally
        {
            stream.Dispose();
            stream = null;
        }
    }

    /// <summary>
    /// Deletes segments older than the retention period and records, in the chain itself, the hash
    /// the deleted range ended with, so the verifier can tell retention from tampering.
    /// </summary>
    private void ApplyRetention(DateTimeOffset now)
    {
        if (settings.RetentionDays <= 0)
        {
            return;
        }

        var cutoff = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-settings.RetentionDays);
        var expired = AuditSegments.List(settings.Directory)
            .Where(p => p != currentPath && AuditSegments.DayOf(p) < cutoff)
            .ToArray();
        if (expired.Length == 0)
        {
            return;
        }

        var throughHash = expired.Reverse()
            .Select(p => AuditSegments.ReadLines(p).LastOrDefault().Line)
            .Where(l => l is { Length: > 0 })
            .Select(l => AuditChain.TrySplit(l, out _, out var hash) ? hash : null)
            .FirstOrDefault(h => h is not null) ?? AuditChain.Genesis;
        var names = expired.Select(Path.GetFileName).ToArray();
        foreach (var path in expired)
        {
            File.Delete(path);
        }

        notify(new AuditNotice(AuditNoticeLevel.Information, $"Retention ({settings.RetentionDays} days) deleted {names.Length} segment(s): {string.Join(", ", names)}."));
        var entry = new AuditEntry("retention", now, null, json =>
        {
            json.WriteNumber("retention_days", settings.RetentionDays);
            json.WriteStartArray("deleted_segments");
            foreach (var name in names)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteString("deleted_through_hash", throughHash);
        });
        if (stream is null)
        {
            EnsureSegment(DateOnly.FromDateTime(now.UtcDateTime), now);
        }

        WriteBatch([entry]);
    }

    private sealed class Submission(IReadOnlyList<AuditEntry> entries)
    {
        public IReadOnlyList<AuditEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<string>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
