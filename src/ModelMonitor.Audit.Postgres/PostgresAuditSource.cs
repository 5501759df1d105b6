using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// A place in the tail's order: the appending transaction's id (<c>xid8</c>), then the row's
/// <c>pos</c>. <see cref="Start"/> is before every record.
/// </summary>
public readonly record struct TailPosition(ulong Transaction, long Row)
{
    public static TailPosition Start => default;

    public bool IsAfter(TailPosition other) => Transaction > other.Transaction || (Transaction == other.Transaction && Row > other.Row);
}

/// <summary>A record tailed from the table, with its position in the tail's order.</summary>
public sealed record TailedRecord(TailPosition Position, AuditRecordView View);

/// <summary>
/// Reads the PostgreSQL store: the same records as the file store, in insertion order
/// (<c>pos</c>) for exports, in (transaction, pos) order for the tail and the restore it
/// continues, in id order for paged queries (ids are time-sortable and unique across writers,
/// and the file store pages by id too).
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
        Tail(null, since, until, kinds, int.MaxValue).Select(r => r.View);

    public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
        Tail(null, since, until, kinds, int.MaxValue).Select(r => new AuditLine(r.View.Kind, r.View.Timestamp, Encoding.UTF8.GetBytes(r.View.Json)));

    /// <summary>
    /// Up to <paramref name="limit"/> settled records after position <paramref name="after"/>, in
    /// (transaction, pos) order. Only records of transactions older than every running one are
    /// read, so a record never becomes visible behind one already read: tailing from the last
    /// position read misses nothing. A transaction left open anywhere in the database holds the
    /// tail back until it ends.
    /// </summary>
    public IReadOnlyList<TailedRecord> TailAfter(TailPosition after, IReadOnlyCollection<string>? kinds, int limit, string? exceptWriter = null) =>
        Tail(after, null, null, kinds, limit, exceptWriter: exceptWriter, settled: true).ToList();

    /// <summary>
    /// The store up to <paramref name="position"/> (from <see cref="LastPosition"/>), where a tail
    /// from that position continues; plus every record of <paramref name="ownWriter"/>, which a
    /// replica's tail leaves out. For a restore.
    /// </summary>
    public IAuditSource Through(TailPosition position, string? ownWriter = null) => new Bounded(this, position, ownWriter);

    /// <summary>The end of the settled records (<see cref="Start"/> when there are none): the last record of a finished transaction below every running one.</summary>
    public TailPosition LastPosition()
    {
        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT xid, pos FROM audit_records WHERE {Settled} ORDER BY xid DESC, pos DESC LIMIT 1", connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new TailPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : TailPosition.Start;
    }

    /// <summary>
    /// Rows whose transaction is older than every transaction still running: all of them finished,
    /// and any row appended later belongs to a newer transaction. So the settled rows, read in
    /// (xid, pos) order, only ever grow at their end, whatever order the writers commit in, and a
    /// tail that continues from its last position misses nothing, though no writer waits for another.
    /// </summary>
    private const string Settled = "xid < pg_snapshot_xmin(pg_current_snapshot())";

    public VerificationResult Verify() => PostgresAuditVerifier.Verify(database);

    /// <summary>Exports (oldest first, by pos) or, from a position, the tail in (xid, pos) order.</summary>
    private IEnumerable<TailedRecord> Tail(TailPosition? after, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<string>? kinds, int limit, TailPosition? through = null, string? exceptWriter = null, bool settled = false, string? alsoWriter = null)
    {
        using var connection = database.OpenConnection();
        using var command = new NpgsqlCommand { Connection = connection };
        var where = Filter(command, from, to, kinds);
        if (after is { } start && start != TailPosition.Start)
        {
            where.Add("(xid, pos) > (@afterxid, @afterpos)");
            command.Parameters.AddWithValue("afterxid", NpgsqlDbType.Xid8, start.Transaction);
            command.Parameters.AddWithValue("afterpos", start.Row);
        }

        if (settled)
        {
            where.Add(Settled);
        }

        if (through is { } last)
        {
            where.Add(alsoWriter is null ? "(xid, pos) <= (@throughxid, @throughpos)" : "((xid, pos) <= (@throughxid, @throughpos) OR writer = @own)");
            command.Parameters.AddWithValue("throughxid", NpgsqlDbType.Xid8, last.Transaction);
            command.Parameters.AddWithValue("throughpos", last.Row);
            if (alsoWriter is not null)
            {
                command.Parameters.AddWithValue("own", alsoWriter);
            }
        }

        if (exceptWriter is not null)
        {
            where.Add("writer <> @writer");
            command.Parameters.AddWithValue("writer", exceptWriter);
        }

        var order = after is null && through is null ? "pos" : "xid, pos";
        command.CommandText = $"SELECT {Columns}, xid, pos FROM audit_records {Where(where)} ORDER BY {order}{(limit == int.MaxValue ? "" : $" LIMIT {limit}")}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new TailedRecord(new TailPosition(reader.GetFieldValue<ulong>(4), reader.GetInt64(5)), View(reader));
        }
    }

    /// <summary>Exports of the store up to a position; everything else as the store answers it.</summary>
    private sealed class Bounded(PostgresAuditSource store, TailPosition through, string? ownWriter) : IAuditSource
    {
        public string Description => store.Description;

        public bool Exists => true;

        public AuditPage Query(AuditQuery query) => store.Query(query);

        public AuditRecordView? Find(string id) => store.Find(id);

        public bool Contains(string id, string kind) => store.Contains(id, kind);

        public IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null) =>
            store.Tail(null, since, until, kinds, int.MaxValue, through, alsoWriter: ownWriter).Select(r => r.View);

        public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
            store.Tail(null, since, until, kinds, int.MaxValue, through, alsoWriter: ownWriter).Select(r => new AuditLine(r.View.Kind, r.View.Timestamp, Encoding.UTF8.GetBytes(r.View.Json)));

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

    /// <remarks>
    /// The time comes from the line itself, to the 100 ns the file store keeps: the <c>ts</c> column
    /// holds microseconds only, and readers on other replicas must see the times the writer saw.
    /// </remarks>
    private static AuditRecordView View(NpgsqlDataReader reader)
    {
        var line = reader.GetString(3);
        return new(reader.GetString(0), ExactTime(line) ?? reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), line);
    }

    /// <summary>The <c>ts</c> member the record writer puts among a line's first members, or null when it is not there.</summary>
    private static DateTimeOffset? ExactTime(string line)
    {
        const string Member = "\"ts\":\"";
        const string Format = "yyyy-MM-ddTHH:mm:ss.fffffffZ";
        var at = line.AsSpan(0, Math.Min(line.Length, 160)).IndexOf(Member, StringComparison.Ordinal);
        if (at < 0 || line.Length < at + Member.Length + Format.Length)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(line.AsSpan(at + Member.Length, Format.Length), Format, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var exact)
            ? exact
            : null;
    }
}
