using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace ModelMonitor.Audit;

/// <summary>
/// The audit log: appenders put entries on a bounded channel; one writer (<see cref="RunAsync"/>)
/// drains it, chains and writes whole batches, commits them per <see cref="Durability"/> and only
/// then tells each appender its records' ids. A failed write is cut back so the segment is
/// byte-identical to before, the appenders get an <see cref="AuditWriteException"/>, and the next
/// batch retries the same segment: a full disk never multiplies segments or leaves a torn record.
/// </summary>
public sealed class AuditLog : IAuditWriter, IAsyncDisposable
{
    /// <summary>In <see cref="Durability.None"/> mode records are written once this many bytes wait.</summary>
    private const int UnflushedLimit = 64 * 1024;

    private readonly AuditSettings settings;
    private readonly TimeProvider time;
    private readonly Action<AuditNotice> notify;
    private readonly Channel<Submission> channel;
    private readonly AuditIds ids = new();
    private readonly List<byte> batchBytes = new(64 * 1024);
    private readonly List<byte> unwritten = new(UnflushedLimit);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<AuditRepair> unrecordedRepairs = [];
    private Stream? stream;
    private string? currentPath;
    private DateOnly currentDay;
    private long fileSize;
    private long? cutBackTo;
    private long nextSequence = 1;
    private string lastHash = AuditChain.Genesis;
    private string? lastId;
    private string? writtenId;
    private string? writtenHash;
    private bool opened;
    private int running;
    private long recordsWritten;
    private string? headId;
    private long lastHeadWrite;
    private long bytesWritten;
    private volatile string? failure;
    private long attemptedBytes;
    private long failedBytes;

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

    /// <summary>
    /// Why the last failed commit failed, until a write at least as large succeeds (or the probe of
    /// <see cref="CheckWritable"/> does): a small record that fits on a nearly full disk does not
    /// make the store healthy for a prediction that does not.
    /// </summary>
    public string? LastFailure => failure;

    /// <summary>The repairs made when the store opened, each also recorded in the chain.</summary>
    public IReadOnlyList<AuditRepair> Repairs { get; private set; } = [];

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

    /// <summary>
    /// Whether a write would succeed now. Null when the last commit succeeded; after a failure, a
    /// probe file as large as the write that failed (at least 16 KiB) is written, fsync'd and removed,
    /// so readiness recovers when space returns, even before traffic does. Otherwise the reason the
    /// store cannot write.
    /// </summary>
    public string? CheckWritable()
    {
        if (failure is not { } reason)
        {
            return null;
        }

        var probe = Path.Combine(settings.Directory, ".write-probe");
        try
        {
            using (var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 0))
            {
                file.Write(new byte[Math.Max(16 * 1024, Interlocked.Read(ref failedBytes))]);
                file.Flush(flushToDisk: true);
            }

            failure = null;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return reason;
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing to clean up, or nothing we can do about it.
            }
        }
    }

    /// <summary>The single writer. Runs until cancelled, then drains what was queued and closes the segment.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException("The audit log already has its writer.");
        }

        try
        {
            // Open (and repair) now rather than at the first record, so a loss is recorded at startup.
            try
            {
                EnsureOpen();
                RecordRepairs();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or AuditWriteException)
            {
                Fail(e);
            }

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
        finally
        {
            stopped.TrySetResult();
        }
    }

    /// <summary>Stops accepting records; waits for a running writer to drain and close, or closes directly.</summary>
    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        if (Volatile.Read(ref running) == 1)
        {
            await stopped.Task;
        }
        else
        {
            CloseSegment();
        }
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
            RecordRepairs();
            var assigned = WriteBatch(batch.SelectMany(s => s.Entries).ToArray());
            if (Interlocked.Read(ref attemptedBytes) >= Interlocked.Read(ref failedBytes))
            {
                failure = null;
            }

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
            var written = Fail(e);
            foreach (var submission in batch)
            {
                submission.Completion.TrySetException(written);
            }
        }
    }

    private AuditWriteException Fail(Exception e)
    {
        var written = e switch
        {
            AuditWriteException known => known,
            IOException or UnauthorizedAccessException or NotSupportedException => new AuditWriteException($"The audit store cannot write to {settings.Directory}: {e.Message}", e),
            _ => new AuditWriteException($"A record could not be written: {e.Message}", e),
        };
        Interlocked.Exchange(ref failedBytes, Interlocked.Read(ref attemptedBytes));
        failure = written.Message;
        notify(new AuditNotice(AuditNoticeLevel.Error, written.Message, e));
        return written;
    }

    /// <summary>
    /// Chains, writes and commits entries as one unit. On failure the file is cut back to where it
    /// was, the chain state is restored, and nothing of the batch remains anywhere.
    /// </summary>
    private string[] WriteBatch(AuditEntry[] entries)
    {
        var now = time.GetUtcNow();
        EnsureSegment(DateOnly.FromDateTime(now.UtcDateTime), now);
        CutBackFailedWrite();

        batchBytes.Clear();
        var assigned = new string[entries.Length];
        var previous = lastHash;
        for (var i = 0; i < entries.Length; i++)
        {
            assigned[i] = ids.Next(now);
            var canonical = AuditRecordWriter.Canonical(entries[i], assigned[i], previous, settings.Tags);
            AuditChain.AppendHash(batchBytes, canonical, out previous);
            batchBytes.Add((byte)'\n');
        }

        Interlocked.Exchange(ref attemptedBytes, batchBytes.Count);
        var unwrittenBefore = unwritten.Count;
        var (hashBefore, idBefore) = (lastHash, lastId);
        unwritten.AddRange(batchBytes);
        lastHash = previous;
        lastId = assigned[^1];
        if (settings.Durability != Durability.None || unwritten.Count >= UnflushedLimit || time.GetElapsedTime(lastHeadWrite) >= settings.HeadInterval)
        {
            try
            {
                WriteUnwritten();
            }
            catch
            {
                // Only this batch fails; records acknowledged earlier (None mode) wait for the next write.
                unwritten.RemoveRange(unwrittenBefore, unwritten.Count - unwrittenBefore);
                (lastHash, lastId) = (hashBefore, idBefore);
                throw;
            }
        }

        if (time.GetElapsedTime(lastHeadWrite) >= settings.HeadInterval)
        {
            TryWriteHead();
        }

        Interlocked.Add(ref recordsWritten, entries.Length);
        Interlocked.Add(ref bytesWritten, batchBytes.Count);
        return assigned;
    }

    /// <summary>Writes the waiting records as one write (fsync'd in Fsync mode); on failure cuts the file back.</summary>
    private void WriteUnwritten()
    {
        if (unwritten.Count == 0)
        {
            return;
        }

        var start = fileSize;
        Interlocked.Exchange(ref attemptedBytes, unwritten.Count);
        try
        {
            stream!.Write(CollectionsMarshal.AsSpan(unwritten));
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
            CutBack(start);
            throw;
        }

        fileSize += unwritten.Count;
        unwritten.Clear();
        (writtenId, writtenHash) = (lastId, lastHash);
    }

    private void CutBack(long length)
    {
        try
        {
            stream!.SetLength(length);
            stream.Position = length;
            cutBackTo = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            // Retried before the next write, on the same segment: never a fresh segment per failure.
            cutBackTo = length;
            notify(new AuditNotice(AuditNoticeLevel.Error, $"Cutting {currentPath} back to {length} bytes after a failed write failed too; it is retried before the next write: {e.Message}", e));
        }
    }

    private void CutBackFailedWrite()
    {
        if (cutBackTo is { } length)
        {
            stream!.SetLength(length);
            stream.Position = length;
            cutBackTo = null;
        }
    }

    /// <summary>First use: create the folder, repair what a crash or a cut left, and continue the chain from the newest record.</summary>
    private void EnsureOpen()
    {
        if (opened)
        {
            return;
        }

        Directory.CreateDirectory(settings.Directory);
        var state = AuditRecovery.Open(settings.Directory, time.GetUtcNow());
        lastHash = state.LastHash;
        lastId = state.LastId;
        (writtenId, writtenHash) = (lastId, lastHash);
        headId = null;
        ids.StartAfter(state.LastId);
        nextSequence = state.NextSequence;
        Repairs = state.Repairs;
        unrecordedRepairs.AddRange(state.Repairs);
        foreach (var repair in state.Repairs)
        {
            notify(new AuditNotice(AuditNoticeLevel.Warning, $"Audit store repaired ({repair.Kind}): {repair.Detail} A recovery record says so in the chain."));
        }

        // Keep appending to today's newest segment if it has room.
        var segments = AuditSegments.List(settings.Directory);
        if (segments.Count > 0)
        {
            var newest = segments[^1];
            if (AuditSegments.DayOf(newest) == DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) && new FileInfo(newest).Length < settings.MaxSegmentBytes)
            {
                OpenSegment(newest, AuditSegments.DayOf(newest));
            }
        }

        opened = true;
        ApplyRetention(time.GetUtcNow());
    }

    /// <summary>Writes a recovery record per repair, before anything else, so no later write can hide a loss.</summary>
    private void RecordRepairs()
    {
        if (unrecordedRepairs.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        WriteBatch(unrecordedRepairs.Select(r => AuditRecovery.Entry(r, now)).ToArray());
        unrecordedRepairs.Clear();
        TryWriteHead();
    }

    private void EnsureSegment(DateOnly day, DateTimeOffset now)
    {
        if (stream is not null && currentDay == day && fileSize + unwritten.Count < settings.MaxSegmentBytes)
        {
            return;
        }

        var rotating = stream is not null;
        if (rotating)
        {
            // The old segment takes what waits for it first; if it cannot, nothing rotates.
            CutBackFailedWrite();
            WriteUnwritten();
        }

        CloseSegment();
        OpenSegment(Path.Combine(settings.Directory, AuditSegments.NameFor(day, nextSequence)), day);
        nextSequence++;
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
        fileSize = opened.Length;
        cutBackTo = null;
    }

    /// <summary>
    /// Records the last record on disk in the head file. The head is bookkeeping: failing to write it
    /// never fails records that are already committed, and it is retried after the next commit.
    /// </summary>
    private void TryWriteHead()
    {
        lastHeadWrite = time.GetTimestamp();
        if (writtenId is null || writtenId == headId)
        {
            return;
        }

        try
        {
            AuditHead.Write(settings.Directory, writtenId, writtenHash!);
            headId = writtenId;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notify(new AuditNotice(AuditNoticeLevel.Warning, $"Writing {AuditHead.FileName} failed; the records are committed and the head is retried after the next commit: {e.Message}", e));
        }
    }

    private void CloseSegment()
    {
        if (stream is not { } closing)
        {
            return;
        }

        try
        {
            CutBackFailedWrite();
            WriteUnwritten();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            notify(new AuditNotice(AuditNoticeLevel.Error, $"Closing {currentPath}: {unwritten.Count} bytes of records that were never written (Durability None) are lost: {e.Message}", e));
        }

        TryWriteHead();
        stream = null;
        try
        {
            if (closing is FileStream file && settings.Durability != Durability.None)
            {
                file.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            notify(new AuditNotice(AuditNoticeLevel.Error, $"Closing {currentPath} failed: {e.Message}", e));
        }
        finally
        {
            closing.Dispose();
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
        WriteBatch([entry]);
    }

    private sealed class Submission(IReadOnlyList<AuditEntry> entries)
    {
        public IReadOnlyList<AuditEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<string>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
