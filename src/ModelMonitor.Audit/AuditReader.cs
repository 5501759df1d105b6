using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>A filter over the store. Times compare with each record's <c>ts</c>; the cursor is the last id already seen.</summary>
public sealed record AuditQuery
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Kind { get; init; }

    public string? Label { get; init; }

    public string? RequestId { get; init; }

    public bool NewestFirst { get; init; } = true;

    public int Limit { get; init; } = 100;

    public string? Cursor { get; init; }
}

/// <summary>One stored line of a known kind and time, exactly as stored (UTF-8 JSON), not parsed further.</summary>
public readonly record struct AuditLine(string Kind, DateTimeOffset Timestamp, byte[] Json);

/// <summary>One stored record: its id, time, kind and the line exactly as stored.</summary>
public sealed record AuditRecordView(string Id, DateTimeOffset Timestamp, string Kind, string Json);

public sealed record AuditPage(IReadOnlyList<AuditRecordView> Records, string? NextCursor);

/// <summary>
/// Reads the store without the writer's involvement: segments are opened shared and only complete
/// lines are read, so reads never block writes. Ids sort as text in file order, which makes the
/// last id seen a stable cursor in both directions.
/// </summary>
public static class AuditReader
{
    public static AuditPage Query(string directory, AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 10_000);
        var results = new List<AuditRecordView>(limit + 1);
        foreach (var record in Scan(directory, query.NewestFirst, query.From, query.To))
        {
            if (query.Cursor is not null && (query.NewestFirst
                ? string.CompareOrdinal(record.View.Id, query.Cursor) >= 0
                : string.CompareOrdinal(record.View.Id, query.Cursor) <= 0))
            {
                continue;
            }

            if (!Matches(record, query))
            {
                continue;
            }

            results.Add(record.View);
            if (results.Count > limit)
            {
                break;
            }
        }

        var more = results.Count > limit;
        if (more)
        {
            results.RemoveAt(results.Count - 1);
        }

        return new AuditPage(results, more ? results[^1].Id : null);
    }

    /// <summary>
    /// The record with this id; null for an unknown or malformed id. A one-off lookup: a service
    /// that looks up many keeps one <see cref="AuditIndex"/> instead.
    /// </summary>
    public static AuditRecordView? Find(string directory, string id)
    {
        using var index = new AuditIndex(directory);
        return index.Find(id);
    }

    /// <summary>Every record with from ≤ ts &lt; to, oldest first, streamed segment by segment.</summary>
    public static IEnumerable<AuditRecordView> Export(string directory, DateTimeOffset? from, DateTimeOffset? to) =>
        Scan(directory, newestFirst: false, from, to)
            .Where(r => (from is null || r.View.Timestamp >= from) && (to is null || r.View.Timestamp < to))
            .Select(r => r.View);

    /// <summary>
    /// Every record of one of <paramref name="kinds"/> with from ≤ ts &lt; to, oldest first. A line
    /// of another kind is skipped on its envelope's bytes without being parsed, so reading the few
    /// evaluation records among many predictions costs little more than reading the segments.
    /// </summary>
    public static IEnumerable<AuditRecordView> Export(string directory, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var members = kinds.Select(k => Encoding.UTF8.GetBytes($"\"{k}\"")).ToArray();
        return Scan(directory, newestFirst: false, from, to, line => IsKind(line, members))
            .Where(r => (from is null || r.View.Timestamp >= from) && (to is null || r.View.Timestamp < to))
            .Select(r => r.View);
    }

    private static readonly byte[] KindMember = "\"kind\":"u8.ToArray();

    /// <summary>
    /// Whether a stored line's kind is one of these (each given as its JSON string, quotes
    /// included). The envelope writes <c>kind</c> before any field of the record, and no earlier
    /// value can hold an unescaped quote, so the first <c>"kind":</c> is the envelope's.
    /// </summary>
    private static bool IsKind(byte[] line, byte[][] members)
    {
        var at = line.AsSpan().IndexOf(KindMember);
        if (at < 0)
        {
            return true; // not an envelope we recognise: let the parser judge it
        }

        var value = line.AsSpan(at + KindMember.Length);
        foreach (var member in members)
        {
            if (value.StartsWith(member))
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Scanned(AuditRecordView View, string? Label, string? RequestId);

    private static IEnumerable<Scanned> Scan(string directory, bool newestFirst, DateTimeOffset? from, DateTimeOffset? to, Func<byte[], bool>? keep = null)
    {
        foreach (var line in RawLines(directory, newestFirst, from, to))
        {
            if ((keep is null || keep(line)) && Parse(line) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <summary>The stored lines of the segments whose day can hold records in [from, to), unparsed.</summary>
    private static IEnumerable<byte[]> RawLines(string directory, bool newestFirst, DateTimeOffset? from, DateTimeOffset? to)
    {
        var segments = AuditSegments.List(directory).AsEnumerable();
        if (newestFirst)
        {
            segments = segments.Reverse();
        }

        foreach (var segment in segments)
        {
            // A record's ts is its request time, a hair before the write that chose the segment's day.
            var day = AuditSegments.DayOf(segment);
            if ((from is not null && day < DayBefore(from.Value)) || (to is not null && day > DayAfter(to.Value)))
            {
                continue;
            }

            var lines = AuditSegments.ReadLines(segment);
            if (newestFirst)
            {
                lines = lines.Reverse();
            }

            foreach (var (_, line) in lines)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// Every stored line of one of <paramref name="kinds"/> with from ≤ ts &lt; to, oldest first,
    /// as stored (UTF-8 JSON), with only its envelope read: for readers that need a field or two of
    /// many records (traffic per minute) and can read them without building each record's document.
    /// </summary>
    public static IEnumerable<AuditLine> ExportLines(string directory, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var members = kinds.Select(k => Encoding.UTF8.GetBytes($"\"{k}\"")).ToArray();
        foreach (var line in RawLines(directory, newestFirst: false, from, to))
        {
            if (IsKind(line, members) && Envelope(line) is { } envelope
                && (from is null || envelope.Timestamp >= from) && (to is null || envelope.Timestamp < to)
                && kinds.Contains(envelope.Kind))
            {
                yield return new AuditLine(envelope.Kind, envelope.Timestamp, line);
            }
        }
    }

    /// <summary>The kind and time of a stored line, read from its envelope (the first members) only; null when it is damaged.</summary>
    private static (string Kind, DateTimeOffset Timestamp)? Envelope(byte[] line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? kind = null;
            DateTimeOffset? timestamp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && (kind is null || timestamp is null))
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("ts"u8))
                {
                    timestamp = reader.TryGetDateTimeOffset(out var parsed)
                        ? parsed
                        : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                }
                else if (name.SequenceEqual("kind"u8))
                {
                    kind = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return kind is not null && timestamp is not null ? (kind, timestamp.Value) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null; // a damaged line: the verifier reports it; readers skip it
        }
    }

    private static DateOnly DayBefore(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        return day == DateOnly.MinValue ? day : day.AddDays(-1);
    }

    private static DateOnly DayAfter(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        return day == DateOnly.MaxValue ? day : day.AddDays(1);
    }

    private static bool Matches(Scanned record, AuditQuery query) =>
        (query.From is null || record.View.Timestamp >= query.From)
        && (query.To is null || record.View.Timestamp < query.To)
        && (query.Kind is null || record.View.Kind == query.Kind)
        && (query.Label is null || record.Label == query.Label)
        && (query.RequestId is null || record.RequestId == query.RequestId);

    /// <summary>A stored line as a record view, or null when it is damaged.</summary>
    internal static AuditRecordView? ParseView(byte[] line) => Parse(line)?.View;

    private static Scanned? Parse(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var view = new AuditRecordView(
                root.GetProperty("id").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("kind").GetString()!,
                Encoding.UTF8.GetString(line));
            return new Scanned(
                view,
                root.TryGetProperty("label", out var label) ? label.GetString() : null,
                root.TryGetProperty("request_id", out var request) ? request.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null; // a damaged line: the verifier reports it; readers skip it
        }
    }
}
