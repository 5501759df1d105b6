using Npgsql;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// One audit database: a pooled data source for reads and probes, unpooled connections for the
/// writer and the leader lock (a session advisory lock must live exactly as long as its
/// connection, never be handed on by a pool), and the schema, migrated once before first use.
/// </summary>
public sealed class AuditDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource pooled;
    private readonly NpgsqlDataSource dedicated;
    private readonly NpgsqlDataSource probe;
    private readonly SemaphoreSlim migrating = new(1, 1);
    private volatile bool migrated;

    public AuditDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
        pooled = NpgsqlDataSource.Create(builder.ConnectionString);
        dedicated = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString);

        // A readiness probe answers within seconds even when the database host does not answer at all.
        probe = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Timeout = Math.Min(builder.Timeout, 5),
            CommandTimeout = Math.Min(builder.CommandTimeout, 5),
        }.ConnectionString);
    }

    /// <summary>The database and its host, without credentials.</summary>
    public string Description { get; }

    /// <summary>A pooled connection, the schema migrated.</summary>
    public NpgsqlConnection OpenConnection()
    {
        EnsureSchema();
        return pooled.OpenConnection();
    }

    /// <summary>A connection of its own (not pooled), the schema migrated: for a session that holds a lock.</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken = default)
    {
        var connection = await dedicated.OpenConnectionAsync(cancellationToken);
        try
        {
            await EnsureSchemaAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the database answers now, within the probe's short timeouts.</summary>
    public void Ping()
    {
        using var connection = probe.OpenConnection();
        using var command = new NpgsqlCommand("SELECT 1", connection);
        command.ExecuteScalar();
    }

    private void EnsureSchema()
    {
        if (migrated)
        {
            return;
        }

        using var connection = pooled.OpenConnection();
        EnsureSchemaAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (migrated)
        {
            return;
        }

        await migrating.WaitAsync(cancellationToken);
        try
        {
            if (!migrated)
            {
                await AuditSchema.MigrateAsync(connection, cancellationToken);
                migrated = true;
            }
        }
        finally
        {
            migrating.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await pooled.DisposeAsync();
        await dedicated.DisposeAsync();
        await probe.DisposeAsync();
        migrating.Dispose();
    }

    public void Dispose()
    {
        pooled.Dispose();
        dedicated.Dispose();
        probe.Dispose();
        migrating.Dispose();
    }
}
