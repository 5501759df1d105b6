using System.Text;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// The audit log on PostgreSQL, shaped like the file store's <see cref="AuditLog"/>: appenders put
/// entries on a bounded channel; one writer drains it and commits whole groups, each as one
/// transaction (one binary COPY of the records and one update of this writer's chain head), and
/// only then tells each appender its records' ids. The records chain per writer
/// (<see cref="PostgresAuditSettings.WriterId"/>): this process's records link to each other,
/// whatever other replicas write in between. A failed group leaves nothing behind (its transaction
/// rolls back); the writer drops its connection, and the next group reconnects and reloads the
/// chain head from the database, so an outage ends without a restart.
/// </summary>
public sealed class PostgresAuditLog : IAuditWriter, IAsyncDisposable
{
    private readonly AuditDatabase database;
    private readonly PostgresAuditSettings settings;
    private readonly TimeProvider time;
    private readonly Action<AuditNotice> notify;
    private readonly Channel<Submission> channel;
    private readonly AuditIds ids = new();
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<byte> lineBytes = new(1024);
    private NpgsqlConnection? connection;
    private long lastSequence;
    private string lastHash = AuditChain.Genesis;
    private int running;
    private long recordsWritten;
    private long bytesWritten;
    private long lastSuccess;
    private volatile Failure? failure;

    public PostgresAuditLog(AuditDatabase database, PostgresAuditSettings settings, TimeProvider? time = null, Action<AuditNotice>? notify = null)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.WriterId);
        this.time = time ?? TimeProvider.System;
        this.notify = notify ?? (_ => { });
        channel = Channel.CreateBounded<Submission>(new BoundedChannelOptions(Math.Max(1, settings.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public PostgresAuditSettings Settings => settings;

    public long RecordsWritten => Interlocked.Read(ref recordsWritten);

    public long BytesWritten => Interlocked.Read(ref bytesWritten);

    public string? LastFailure => failure?.Message;

    public event Action<int, TimeSpan>? Committed;

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
    /// Null when a write would succeed now. A recent commit vouches for the database for
    /// <see cref="PostgresAuditSettings.ProbeInterval"/>; otherwise, and after a failed commit,
    /// the database is asked (a short <c>SELECT 1</c>), so readiness follows an outage and its end
    /// even without traffic. A refused chain (another process writes as this writer) stays
    /// unwritable until a commit succeeds.
    /// </summary>
    public string? CheckWritable()
    {
        var known = failure;
        if (known is { Connectivity: false })
        {
            return known.Message;
        }

        if (known is null && Interlocked.Read(ref lastSuccess) is var last && last != 0 && time.GetElapsedTime(last) < settings.ProbeInterval)
        {
            return null;
        }

        try
        {
            database.Ping();
            Interlocked.Exchange(ref lastSuccess, time.GetTimestamp());
            failure = null;
            return null;
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            var message = $"The audit database ({database.Description}) does not answer: {e.Message}";
            failure = new Failure(message, Connectivity: true);
            return message;
        }
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            throw new InvalidOperationException("The audit log already has its writer.");
        }

        try
        {
            // Connect (and migrate) now rather than at the first record, so a bad setting shows at startup.
            try
            {
                await EnsureConnectedAsync();
            }
            catch (Exception e) when (IsDatabaseFailure(e) || e is AuditWriteException)
            {
                await FailAsync(e);
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
                    await CommitAsync(batch);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }

            // Shutting down: accept nothing more, commit what is already queued.
            channel.Writer.TryComplete();
            while (reader.TryPeek(out _))
            {
                Drain(reader, batch);
                await CommitAsync(batch);
            }
        }
        finally
        {
            await CloseConnectionAsync();
            stopped.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        if (Volatile.Read(ref running) == 1)
        {
            await stopped.Task;
        }
        else
        {
            await CloseConnectionAsync();
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

    private async Task CommitAsync(List<Submission> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await EnsureConnectedAsync();
            var assigned = await WriteBatchAsync(batch.SelectMany(s => s.Entries).ToArray());
            failure = null;
            Interlocked.Exchange(ref lastSuccess, time.GetTimestamp());

            // Before the appenders hear of it: whoever counts commits has counted this one by then.
            Committed?.Invoke(assigned.Length, time.GetElapsedTime(started));
            var offset = 0;
            foreach (var submission in batch)
            {
                submission.Completion.TrySetResult(assigned.AsSpan(offset, submission.Entries.Count).ToArray());
                offset += submission.Entries.Count;
            }
        }
#pragma warning disable CA1031 // the single writer must survive anything one group throws, or every later record is lost
        catch (Exception e)
#pragma warning restore CA1031
        {
            var written = await FailAsync(e);
            foreach (var submission in batch)
            {
                submission.Completion.TrySetException(written);
            }
        }
    }

    /// <summary>
    /// Chains the entries after this writer's head and commits them in one transaction. The chain
    /// state in memory moves only after the commit; the head row is updated only if it is still the
    /// head this writer continued, so two processes writing one chain cannot fork it.
    /// </summary>
    private async Task<string[]> WriteBatchAsync(AuditEntry[] entries)
    {
        var now = time.GetUtcNow();
        var lines = new string[entries.Length];
        var assigned = new string[entries.Length];
        var previous = lastHash;
        long bytes = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            assigned[i] = ids.Next(now);
            var canonical = AuditRecordWriter.Canonical(entries[i], assigned[i], previous, settings.Tags);
            lineBytes.Clear();
            AuditChain.AppendHash(lineBytes, canonical, out previous);
            lines[i] = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(lineBytes));
            bytes += lineBytes.Count + 1;
        }

        var open = connection!;
        await using (var transaction = await open.BeginTransactionAsync())
        {
            await using (var copy = await open.BeginBinaryImportAsync("COPY audit_records (id, writer, writer_seq, ts, kind, request_id, line) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < entries.Length; i++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(assigned[i], NpgsqlDbType.Text);
                    await copy.WriteAsync(settings.WriterId, NpgsqlDbType.Text);
                    await copy.WriteAsync(lastSequence + i + 1, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(entries[i].Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(entries[i].Kind, NpgsqlDbType.Text);
                    if (entries[i].RequestId is { } request)
                    {
                        await copy.WriteAsync(request, NpgsqlDbType.Text);
                    }
                    else
                    {
                        await copy.WriteNullAsync();
                    }

                    await copy.WriteAsync(lines[i], NpgsqlDbType.Text);
                }

                await copy.CompleteAsync();
            }

            await using (var head = new NpgsqlCommand(
                """
                INSERT INTO audit_writers (writer, last_seq, last_hash, last_id, updated) VALUES (@writer, @seq, @hash, @id, now())
                ON CONFLICT (writer) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash, last_id = EXCLUDED.last_id, updated = EXCLUDED.updated
                WHERE audit_writers.last_seq = @previous
                """,
                open,
                transaction))
            {
                head.Parameters.AddWithValue("writer", settings.WriterId);
                head.Parameters.AddWithValue("seq", lastSequence + entries.Length);
                head.Parameters.AddWithValue("hash", previous);
                head.Parameters.AddWithValue("id", assigned[^1]);
                head.Parameters.AddWithValue("previous", lastSequence);
                if (await head.ExecuteNonQueryAsync() != 1)
                {
                    throw new AuditWriteException($"The chain of writer '{settings.WriterId}' moved under this process: another process writes as the same Audit:WriterId.");
                }
            }

            await transaction.CommitAsync();
        }

        lastSequence += entries.Length;
        lastHash = previous;
        Interlocked.Add(ref recordsWritten, entries.Length);
        Interlocked.Add(ref bytesWritten, bytes);
        return assigned;
    }

    /// <summary>
    /// Opens the writer's own connection, migrates, takes this writer's chain (a session advisory
    /// lock: only one live process per writer id) and reloads the chain head.
    /// </summary>
    private async Task EnsureConnectedAsync()
    {
        if (connection is { State: System.Data.ConnectionState.Open })
        {
            return;
        }

        await CloseConnectionAsync();
        var opened = await database.OpenDedicatedAsync();
        try
        {
            await using (var claim = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('modelmonitor.audit.writer:' || @writer, 0))", opened))
            {
                claim.Parameters.AddWithValue("writer", settings.WriterId);
                if (await claim.ExecuteScalarAsync() is not true)
                {
                    throw new AuditWriteException($"Another live process writes the audit chain of writer '{settings.WriterId}': give each replica its own Audit:WriterId.");
                }
            }

            await using (var head = new NpgsqlCommand("SELECT last_seq, last_hash, last_id FROM audit_writers WHERE writer = @writer", opened))
            {
                head.Parameters.AddWithValue("writer", settings.WriterId);
                await using var reader = await head.ExecuteReaderAsync();
                if (await reader.ReadAsync())
                {
                    lastSequence = reader.GetInt64(0);
                    lastHash = reader.GetString(1);
                    ids.StartAfter(reader.GetString(2));
                }
                else
                {
                    lastSequence = 0;
                    lastHash = AuditChain.Genesis;
                }
            }

            connection = opened;
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
    }

    private async Task CloseConnectionAsync()
    {
        if (connection is { } closing)
        {
            connection = null;
            await closing.DisposeAsync();
        }
    }

    private async Task<AuditWriteException> FailAsync(Exception e)
    {
        // Start clean: the next group reconnects and continues from the head the database holds
        // (a commit whose acknowledgement was lost is then continued, not forked).
        await CloseConnectionAsync();
        var written = e as AuditWriteException ?? new AuditWriteException($"The audit store cannot write to the {database.Description}: {e.Message}", e);
        failure = new Failure(written.Message, Connectivity: e is not AuditWriteException);
        notify(new AuditNotice(AuditNoticeLevel.Error, written.Message, e));
        return written;
    }

    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException;

    private sealed record Failure(string Message, bool Connectivity);

    private sealed class Submission(IReadOnlyList<AuditEntry> entries)
    {
        public IReadOnlyList<AuditEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<string>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
