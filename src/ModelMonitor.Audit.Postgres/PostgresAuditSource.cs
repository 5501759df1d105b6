using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ModelMonitor.Audit.Postgres;

/// <summary>A record tailed from the table, with its position in commit order.</summary>
public sealed record TailedRecord(long Position, AuditRecordView View);

/// <summary>
/// Reads the PostgreSQL store: the same records as the file store, in commit order
/// (<c>pos</c>) for exports and replays, in id order for paged queries (ids are time-sortable
/// and unique across writers, and the file store pages by id too).
/// </summary>
public sealed class PostgresAuditSource(AuditDatabase database) : IAuditSource
{
    private const string Columns = "id, ts, kind, line";

    public string Description => database.Description;

    public bool Exists => true;

    public AuditPage Query(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 10_000);
        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var where = Filter(command, query.From, query.To, query.Kind is null ? null : [query.Kind]);
        if (query.Label is not null)
        {
            where.Add("(line::jsonb ->> 'label') = @label");
            command.Parameters.AddWithValue("label", query.Label);
        }

        if (query.RequestId is not null)
        {
            where.Add("request_id = @request");
            command.Parameters.AddWithValue("request", query.RequestId);
        }

        if (query.Cursor is not null)
        {
            where.Add(query.NewestFirst ? "id < @cursor" : "id > @cursor");
            command.Parameters.AddWithValue("cursor", query.Cursor);
        }

        command.CommandText = $"SELECT {Columns} FROM audit_records {Where(where)} ORDER BY id {(query.NewestFirst ? "DESC" : "ASC")} LIMIT {limit + 1}";
        var results = new List<AuditRecordView>(limit + 1);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                results.Add(View(reader));
            }
        }

        var more = results.Count > limit;
        if (more)
        {
            results.RemoveAt(results.Count - 1);
        }

        return new AuditPage(results, more ? results[^1].Id : null);
    }

    public AuditRecordView? Find(string id)
    {
        if (!AuditIds.TryParseTime(id, out _))
        {
            return null;
        }

        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT {Columns} FROM audit_records WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? View(reader) : null;
    }

    public bool Contains(string id, string kind)
    {
        if (!AuditIds.TryParseTime(id, out _))
        {
            return false;
        }

        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM audit_records WHERE id = @id AND kind = @kind)", connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("kind", kind);
        return command.ExecuteScalar() is true;
    }

    public IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null) =>
        Tail(0, since, until, kinds, int.MaxValue).Select(r => r.View);

    public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
        Tail(0, since, until, kinds, int.MaxValue).Select(r => new AuditLine(r.View.Kind, r.View.Timestamp, Encoding.UTF8.GetBytes(r.View.Json)));

    /// <summary>
    /// Up to <paramref name="limit"/> records committed after position <paramref name="after"/>,
    /// in commit order. Appends are serialised, so a record never becomes visible behind one
    /// already read: tailing from the last position read misses nothing.
    /// </summary>
    public IReadOnlyList<TailedRecord> TailAfter(long after, IReadOnlyCollection<string>? kinds, int limit, string? exceptWriter = null) =>
        Tail(after, null, null, kinds, limit, exceptWriter: exceptWriter).ToList();

    /// <summary>The store as it was at <paramref name="position"/>: records committed later are left out (a restore that a tail then continues).</summary>
    public IAuditSource Through(long position) => new Bounded(this, position);

    /// <summary>The position of the last committed record (0 when empty).</summary>
    public long LastPosition()
    {
        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand("SELECT coalesce(max(pos), 0) FROM audit_records", connection);
        return (long)command.ExecuteScalar()!;
    }

    public VerificationResult Verify() => PostgresAuditVerifier.Verify(database);

    private IEnumerable<TailedRecord> Tail(long after, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<string>? kinds, int limit, long? through = null, string? exceptWriter = null)
    {
        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var where = Filter(command, from, to, kinds);
        if (after > 0)
        {
            where.Add("pos > @after");
            command.Parameters.AddWithValue("after", after);
        }

        if (through is { } last)
        {
            where.Add("pos <= @through");
            command.Parameters.AddWithValue("through", last);
        }

        if (exceptWriter is not null)
        {
            where.Add("writer <> @writer");
            command.Parameters.AddWithValue("writer", exceptWriter);
        }

        command.CommandText = $"SELECT {Columns}, pos FROM audit_records {Where(where)} ORDER BY pos{(limit == int.MaxValue ? "" : $" LIMIT {limit}")}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new TailedRecord(reader.GetInt64(4), View(reader));
        }
    }

    /// <summary>Exports of the store up to a position; everything else as the store answers it.</summary>
    private sealed class Bounded(PostgresAuditSource store, long through) : IAuditSource
    {
        public string Description => store.Description;

        public bool Exists => true;

        public AuditPage Query(AuditQuery query) => store.Query(query);

        public AuditRecordView? Find(string id) => store.Find(id);

        public bool Contains(string id, string kind) => store.Contains(id, kind);

        public IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null) =>
            store.Tail(0, since, until, kinds, int.MaxValue, through).Select(r => r.View);

        public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
            store.Tail(0, since, until, kinds, int.MaxValue, through).Select(r => new AuditLine(r.View.Kind, r.View.Timestamp, Encoding.UTF8.GetBytes(r.View.Json)));

        public VerificationResult Verify() => store.Verify();
    }

    private static List<string> Filter(NpgsqlCommand command, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<string>? kinds)
    {
        var where = new List<string>();
        if (from is { } f)
        {
            where.Add("ts >= @from");
            command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, f.ToUniversalTime());
        }

        if (to is { } t)
        {
            where.Add("ts < @to");
            command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, t.ToUniversalTime());
        }

        if (kinds is not null)
        {
            where.Add("kind = ANY(@kinds)");
            command.Parameters.AddWithValue("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, kinds.ToArray());
        }

        return where;
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);

    private static AuditRecordView View(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3));
}
