using Npgsql;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// The tables, created or brought up to date at startup. Every statement is idempotent and the
/// whole migration runs under a transaction-level advisory lock, so replicas starting together
/// migrate once, one after the other.
/// </summary>
public static class AuditSchema
{
    /// <summary>The schema version this code writes; recorded in <c>audit_schema</c>.</summary>
    public const int Version = 1;

    /// <summary>Serialises migrations of all replicas.</summary>
    internal const long MigrationLock = 0x4D4D_5343_4845_4D41; // "MMSCHEMA"

    /// <summary>
    /// <c>line</c> is the record exactly as the file store writes it (text, not jsonb: the hash is
    /// over the exact bytes, which jsonb would reorder). The other columns are indexes into it;
    /// <c>xid</c> is the appending transaction's id, which orders the tail (see
    /// <see cref="PostgresAuditSource.TailAfter"/>) without serialising the writers.
    /// <c>monitor_evaluations</c> holds one row per evaluation sequence number a leader claimed:
    /// its primary key is what keeps two leaders from ever writing the same number.
    /// </summary>
    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS audit_schema (
            version integer PRIMARY KEY,
            applied timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS audit_records (
            pos bigserial PRIMARY KEY,
            id text NOT NULL UNIQUE,
            writer text NOT NULL,
            writer_seq bigint NOT NULL,
            ts timestamptz NOT NULL,
            kind text NOT NULL,
            request_id text,
            line text NOT NULL,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            CONSTRAINT audit_records_chain UNIQUE (writer, writer_seq));
        CREATE INDEX IF NOT EXISTS audit_records_tail ON audit_records (xid, pos);
        CREATE INDEX IF NOT EXISTS audit_records_kind_pos ON audit_records (kind, pos);
        CREATE INDEX IF NOT EXISTS audit_records_ts ON audit_records (ts);
        CREATE INDEX IF NOT EXISTS audit_records_request ON audit_records (request_id) WHERE request_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS audit_writers (
            writer text PRIMARY KEY,
            last_seq bigint NOT NULL,
            last_hash text NOT NULL,
            last_id text NOT NULL,
            updated timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS monitor_evaluations (
            sequence bigint PRIMARY KEY,
            writer text NOT NULL,
            claimed timestamptz NOT NULL DEFAULT now());
        INSERT INTO audit_schema (version) VALUES (1) ON CONFLICT (version) DO NOTHING;
        """;

    /// <summary>Creates what is missing; a no-op on an up-to-date database.</summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            locking.Parameters.AddWithValue("key", MigrationLock);
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var ddl = new NpgsqlCommand(Ddl, connection, transaction))
        {
            await ddl.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The highest schema version applied, or 0 on a database never migrated.</summary>
    public static async Task<int> AppliedVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('audit_schema') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM audit_schema", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
