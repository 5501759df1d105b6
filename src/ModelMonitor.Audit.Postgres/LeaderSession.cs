using Npgsql;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// The monitor's leadership among replicas: a PostgreSQL session advisory lock held on a
/// connection of its own. The lock lives exactly as long as that session, so a leader that dies
/// (or whose connection breaks) lets go of it without anyone's help, and another replica's next
/// attempt takes it. While leading, the session also claims evaluation sequence numbers, each
/// once in the whole database (<c>monitor_evaluations</c>' primary key).
/// </summary>
public sealed class LeaderSession : IAsyncDisposable
{
    /// <summary>The lock's key: one monitor per database.</summary>
    internal const long LeaderLock = 0x4D4D_4C45_4144_4552; // "MMLEADER"

    private readonly AuditDatabase database;
    private readonly string writerId;
    private readonly SemaphoreSlim gate = new(1, 1);
    private NpgsqlConnection? connection;

    public LeaderSession(AuditDatabase database, string writerId)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        ArgumentException.ThrowIfNullOrWhiteSpace(writerId);
        this.writerId = writerId;
    }

    /// <summary>Whether this session holds the lock (as far as it knows: <see cref="CheckAsync"/> finds out).</summary>
    public bool Leading { get; private set; }

    /// <summary>Takes the lock if it is free. Opens the session first when it has none.</summary>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Leading)
            {
                return true;
            }

            connection ??= await database.OpenDedicatedAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", LeaderLock);
            Leading = await command.ExecuteScalarAsync(cancellationToken) is true;
            return Leading;
        }
        catch
        {
            await DropAsync();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Whether this session still leads: its connection answers and the server still lists the
    /// lock as this backend's. Throws (and drops the session) when the database cannot be asked.
    /// </summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!Leading || connection is null)
            {
                return false;
            }

            await using var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND objid = (@key & 4294967295)::oid AND classid = (@key >> 32)::oid)",
                connection);
            command.Parameters.AddWithValue("key", LeaderLock);
            Leading = await command.ExecuteScalarAsync(cancellationToken) is true;
            return Leading;
        }
        catch
        {
            await DropAsync();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Claims the next evaluation sequence number: at least <paramref name="next"/>, and after every
    /// number claimed before (by any replica). Null when this session does not lead or another
    /// claim won the number.
    /// </summary>
    public async Task<long?> ClaimSequenceAsync(long next, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!Leading || connection is null)
            {
                return null;
            }

            await using var command = new NpgsqlCommand(
                """
                INSERT INTO monitor_evaluations (sequence, writer)
                SELECT greatest(@next, coalesce(max(sequence), 0) + 1), @writer FROM monitor_evaluations
                ON CONFLICT (sequence) DO NOTHING
                RETURNING sequence
                """,
                connection);
            command.Parameters.AddWithValue("next", next);
            command.Parameters.AddWithValue("writer", writerId);
            return await command.ExecuteScalarAsync(cancellationToken) is long claimed ? claimed : null;
        }
        catch
        {
            await DropAsync();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Lets go of the lock (closing the session releases it).</summary>
    public async Task ReleaseAsync()
    {
        await gate.WaitAsync();
        try
        {
            await DropAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        gate.Dispose();
    }

    private async Task DropAsync()
    {
        Leading = false;
        if (connection is { } closing)
        {
            connection = null;
            await closing.DisposeAsync();
        }
    }
}
