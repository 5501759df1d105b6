using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>
/// Something to record: its kind (prediction, error, warning, feedback, alert…), when it happened,
/// the request it belongs to, and a writer for its own fields. The store adds the schema version,
/// the id, the tags and the hash chain.
/// </summary>
public sealed class AuditEntry(string kind, DateTimeOffset timestamp, string? requestId, Action<Utf8JsonWriter> writeFields)
{
    public string Kind { get; } = kind;

    public DateTimeOffset Timestamp { get; } = timestamp;

    public string? RequestId { get; } = requestId;

    internal Action<Utf8JsonWriter> WriteFields { get; } = writeFields;
}
