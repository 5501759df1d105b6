using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace ModelMonitor.Audit.Postgres;

/// <summary>
/// Checks every writer's chain in one consistent snapshot: each record's own hash, its link to the
/// previous record of its writer, its sequence number (no gaps), that its indexed columns say
/// what its line says, and that the chain ends at the head its writer committed last (records
/// deleted from the end). A break's <see cref="ChainBreak.Segment"/> names the writer and its
/// <see cref="ChainBreak.Line"/> is the record's sequence number in that chain.
/// </summary>
public static class PostgresAuditVerifier
{
    public static VerificationResult Verify(AuditDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var heads = new Dictionary<string, (long Seq, string Hash, string Id)>(StringComparer.Ordinal);
        using (var command = new NpgsqlCommand("SELECT writer, last_seq, last_hash, last_id FROM audit_writers", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                heads[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
            }
        }

        long records = 0;
        var writers = new HashSet<string>(StringComparer.Ordinal);
        string? writer = null;
        long expectedSeq = 0;
        var expectedHash = AuditChain.Genesis;
        var lastHash = AuditChain.Genesis;
        using (var command = new NpgsqlCommand("SELECT writer, writer_seq, id, kind, line FROM audit_records ORDER BY writer, writer_seq", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var (rowWriter, seq, id, kind, line) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
                if (rowWriter != writer)
                {
                    if (writer is not null && EndOfChain(writer, expectedSeq, expectedHash, heads) is { } end)
                    {
                        return Broken(writers.Count, records, expectedHash, end);
                    }

                    writer = rowWriter;
                    writers.Add(writer);
                    expectedSeq = 0;
                    expectedHash = AuditChain.Genesis;
                }

                if (Check(writer, seq, id, kind, line, expectedSeq, expectedHash, out var hash) is { } broken)
                {
                    return Broken(writers.Count, records, expectedHash, broken);
                }

                expectedSeq = seq;
                expectedHash = hash;
                lastHash = hash;
                records++;
            }
        }

        if (writer is not null && EndOfChain(writer, expectedSeq, expectedHash, heads) is { } last)
        {
            return Broken(writers.Count, records, expectedHash, last);
        }

        // A writer whose head says it committed records, none of which are left.
        foreach (var (name, head) in heads.Where(h => !writers.Contains(h.Key) && h.Value.Seq > 0))
        {
            return Broken(writers.Count, records, lastHash, new ChainBreak(Label(name), 0, head.Id, $"the chain of writer '{name}' is empty but its head says {head.Seq} record(s) were committed (records were deleted)"));
        }

        transaction.Commit();
        return new VerificationResult(true, writers.Count, records, lastHash, null);
    }

    private static ChainBreak? Check(string writer, long seq, string id, string kind, string line, long expectedSeq, string expectedHash, out string hash)
    {
        hash = string.Empty;
        var bytes = Encoding.UTF8.GetBytes(line);
        if (!AuditChain.TrySplit(bytes, out var canonical, out var stated))
        {
            return new ChainBreak(Label(writer), Line(seq), id, "the line is not a complete record (no well-formed hash at its end)");
        }

        string lineId, lineKind, prev;
        try
        {
            using var document = JsonDocument.Parse(canonical);
            var root = document.RootElement;
            lineId = root.GetProperty("id").GetString() ?? string.Empty;
            lineKind = root.GetProperty("kind").GetString() ?? string.Empty;
            prev = root.GetProperty("prev").GetString() ?? string.Empty;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new ChainBreak(Label(writer), Line(seq), id, "the record is not valid JSON with an id, a kind and a prev hash");
        }

        if (AuditChain.Hash(canonical) != stated)
        {
            return new ChainBreak(Label(writer), Line(seq), lineId, "the record was edited: its content no longer matches its hash");
        }

        if (lineId != id || lineKind != kind)
        {
            return new ChainBreak(Label(writer), Line(seq), lineId, $"the row's id or kind column ('{id}', '{kind}') was edited: the record says '{lineId}', '{lineKind}'");
        }

        if (seq != expectedSeq + 1)
        {
            return new ChainBreak(Label(writer), Line(seq), id, string.Create(CultureInfo.InvariantCulture, $"the chain skips from record {expectedSeq} to {seq} (records were deleted)"));
        }

        if (prev != expectedHash)
        {
            return new ChainBreak(Label(writer), Line(seq), id, $"the chain is broken: prev {prev[..Math.Min(12, prev.Length)]}… does not match the previous record's hash {expectedHash[..12]}… (a record was deleted, inserted or moved)");
        }

        hash = stated;
        return null;
    }

    private static ChainBreak? EndOfChain(string writer, long seq, string hash, Dictionary<string, (long Seq, string Hash, string Id)> heads)
    {
        if (!heads.TryGetValue(writer, out var head))
        {
            return new ChainBreak(Label(writer), Line(seq), null, $"writer '{writer}' has records but no head row (its head was deleted)");
        }

        return head.Seq == seq && head.Hash == hash
            ? null
            : new ChainBreak(Label(writer), Line(seq), head.Id, string.Create(CultureInfo.InvariantCulture, $"the chain of writer '{writer}' ends at record {seq}, but its head says {head.Seq} were committed (records were deleted from the end, or the head was edited)"));
    }

    private static string Label(string writer) => $"writer {writer}";

    /// <summary>The record's sequence number where the file store gives a line number.</summary>
    private static int Line(long seq) => (int)Math.Min(seq, int.MaxValue);

    private static VerificationResult Broken(int writers, long records, string last, ChainBreak at) =>
        new(false, writers, records, last, at);
}
