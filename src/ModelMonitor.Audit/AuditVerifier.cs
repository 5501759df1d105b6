using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>Where and why the chain breaks.</summary>
public sealed record ChainBreak(string Segment, int Line, string? RecordId, string Reason);

/// <summary>A loss the store itself recorded when it repaired a crash or a cut (a <c>recovery</c> record).</summary>
public sealed record RecordedLoss(string Segment, int Line, string RecordId, DateTimeOffset At, string Repair, long RecordsLost, long BytesLost, string Detail);

/// <summary>
/// The result of walking the store: OK with counts, or the first break. An intact chain can still
/// hold <see cref="Losses"/>: repairs the store made and recorded, which stay visible for good.
/// </summary>
public sealed record VerificationResult(bool Ok, int Segments, long Records, string LastHash, ChainBreak? FirstBreak)
{
    public IReadOnlyList<RecordedLoss> Losses { get; init; } = [];
}

/// <summary>
/// Walks every segment in order and checks each record's own hash and its link to the previous
/// one. The chain starts at 64 zeros, or, after retention deleted the oldest segments, at the hash a
/// <c>retention</c> record in the chain says the deleted range ended with.
/// </summary>
public static class AuditVerifier
{
    public static VerificationResult Verify(string directory)
    {
        // The head first: a live writer may commit more while the segments are read, and every
        // record up to the head read now is on disk before the segments are.
        var head = AuditHead.Read(directory);
        var segments = AuditSegments.List(directory);
        var expected = (string?)null;
        string? startAnchor = null;
        (string Segment, int Line, string? Id)? startRecord = null;
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var losses = new List<RecordedLoss>();
        long records = 0;
        foreach (var segment in segments)
        {
            var name = Path.GetFileName(segment);
            foreach (var (number, line) in AuditSegments.ReadLines(segment))
            {
                if (!AuditChain.TrySplit(line, out var canonical, out var stated))
                {
                    return Broken(segments.Count, records, expected, name, number, null, "the line is not a complete record (no well-formed hash at its end)");
                }

                string id, prev;
                JsonElement root;
                try
                {
                    using var document = JsonDocument.Parse(canonical);
                    root = document.RootElement.Clone();
                    id = root.GetProperty("id").GetString() ?? string.Empty;
                    prev = root.GetProperty("prev").GetString() ?? string.Empty;
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    return Broken(segments.Count, records, expected, name, number, null, "the record is not valid JSON with an id and a prev hash");
                }

                if (AuditChain.Hash(canonical) != stated)
                {
                    return Broken(segments.Count, records, expected, name, number, id, "the record was edited: its content no longer matches its hash");
                }

                if (expected is null)
                {
                    // The first record: the chain starts at genesis, or at a retention anchor checked at the end.
                    if (prev != AuditChain.Genesis)
                    {
                        startAnchor = prev;
                        startRecord = (name, number, id);
                    }
                }
                else if (prev != expected)
                {
                    return Broken(segments.Count, records, expected, name, number, id, $"the chain is broken: prev {prev[..12]}… does not match the previous record's hash {expected[..12]}… (a record was deleted, inserted or moved)");
                }

                if (root.TryGetProperty("kind", out var kind) && kind.GetString() == "retention" && root.TryGetProperty("deleted_through_hash", out var through))
                {
                    anchors.Add(through.GetString() ?? string.Empty);
                }

                if (kind.ValueKind == JsonValueKind.String && kind.GetString() == AuditRecovery.Kind)
                {
                    losses.Add(Loss(root, name, number, id));
                }

                expected = stated;
                seen.Add(stated);
                records++;
            }
        }

        if (startAnchor is not null && !anchors.Contains(startAnchor))
        {
            var (segment, line, id) = startRecord!.Value;
            return Broken(segments.Count, records, expected, segment, line, id, "the chain does not start at the beginning and no retention record accounts for the missing records (records were deleted)");
        }

        // The chain cannot see records cut from its end; the head file written after each commit can.
        if (head is { } h && !seen.Contains(h.Hash))
        {
            return Broken(segments.Count, records, expected, segments.Count > 0 ? Path.GetFileName(segments[^1]) : "-", 0, h.Id, $"the store ends before record {h.Id}, the last one committed (records were deleted from the end)");
        }

        return new VerificationResult(true, segments.Count, records, expected ?? AuditChain.Genesis, null) { Losses = losses };
    }

    private static RecordedLoss Loss(JsonElement root, string segment, int line, string id)
    {
        static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        static long Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        _ = DateTimeOffset.TryParse(Text(root, "ts"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at);
        return new RecordedLoss(segment, line, id, at, Text(root, "repair"), Number(root, "records_lost"), Number(root, "bytes_lost"), Text(root, "detail"));
    }

    private static VerificationResult Broken(int segments, long records, string? last, string segment, int line, string? id, string reason) =>
        new(false, segments, records, last ?? AuditChain.Genesis, new ChainBreak(segment, line, id, reason));
}
