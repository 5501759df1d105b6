using System.Globalization;
using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>One repair the store made when it opened, and what it could not keep.</summary>
public sealed record AuditRepair(string Kind, string Segment, long RecordsLost, long BytesLost, string? LastHashHeadKnew, string? HeadId, string Detail);

/// <summary>
/// What the store finds when it opens: where the chain continues, and what it had to repair. Each
/// repair becomes a <c>recovery</c> record in the chain, so a loss stays visible to <c>verify</c>
/// after any number of restarts instead of being laundered by the next write.
/// </summary>
internal static class AuditRecovery
{
    public const string Kind = "recovery";
    public const string TornTail = "torn_tail";
    public const string HeadAhead = "head_ahead";

    public sealed record State(string LastHash, string? LastId, long NextSequence, IReadOnlyList<AuditRepair> Repairs);

    public static State Open(string directory, DateTimeOffset now)
    {
        var segments = AuditSegments.List(directory);
        var head = AuditHead.Read(directory);
        var repairs = new List<AuditRepair>();
        if (segments.Count == 0)
        {
            if (head is { } orphan)
            {
                repairs.Add(HeadAheadRepair("-", orphan, null));
            }

            return new State(AuditChain.Genesis, null, 1, repairs);
        }

        var newest = segments[^1];
        if (AuditSegments.QuarantineTornTail(newest, now) is { } quarantined)
        {
            repairs.Add(new AuditRepair(
                TornTail,
                Path.GetFileName(newest),
                1,
                new FileInfo(quarantined.Path).Length,
                head?.Hash,
                head?.Id,
                $"A record was being written when the writer stopped; its {new FileInfo(quarantined.Path).Length} bytes were moved to {Path.Combine(AuditSegments.QuarantineDirectory, Path.GetFileName(quarantined.Path))}. It had not been acknowledged."));
        }

        var lastHash = AuditChain.Genesis;
        string? lastId = null;
        foreach (var segment in segments.Reverse())
        {
            var last = AuditSegments.ReadLines(segment).LastOrDefault();
            if (last.Line is { Length: > 0 } line && AuditChain.TrySplit(line, out var canonical, out var hash))
            {
                lastHash = hash;
                using var document = JsonDocument.Parse(canonical);
                lastId = document.RootElement.GetProperty("id").GetString();
                break;
            }
        }

        // The head is written only after records are on disk, and ids grow with time: a head whose id
        // is newer than the newest stored record names records that were acknowledged and are gone.
        if (head is { } h && h.Hash != lastHash && (lastId is null || string.CompareOrdinal(h.Id, lastId) > 0))
        {
            repairs.Add(HeadAheadRepair(Path.GetFileName(newest), h, lastId));
        }

        return new State(lastHash, lastId, AuditSegments.SequenceOf(newest) + 1, repairs);
    }

    private static AuditRepair HeadAheadRepair(string segment, (string Id, string Hash) head, string? lastId) => new(
        HeadAhead,
        segment,
        1,
        0,
        head.Hash,
        head.Id,
        string.Create(CultureInfo.InvariantCulture, $"{AuditHead.FileName} names record {head.Id}, but the store ends at {lastId ?? "nothing"}: at least one acknowledged record was cut from the end."));

    /// <summary>The chain record of a repair: what was lost, and the last hash the head knew.</summary>
    public static AuditEntry Entry(AuditRepair repair, DateTimeOffset now) => new(Kind, now, null, json =>
    {
        json.WriteString("repair", repair.Kind);
        json.WriteString("segment", repair.Segment);
        json.WriteNumber("records_lost", repair.RecordsLost);
        json.WriteNumber("bytes_lost", repair.BytesLost);
        if (repair.HeadId is not null)
        {
            json.WriteString("head_id", repair.HeadId);
        }

        if (repair.LastHashHeadKnew is not null)
        {
            json.WriteString("last_hash_head_knew", repair.LastHashHeadKnew);
        }

        json.WriteString("detail", repair.Detail);
    });
}
