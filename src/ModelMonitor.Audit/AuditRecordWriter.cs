using System.Globalization;
using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>Serialises an entry into its canonical JSON form, the envelope first and the entry's own fields after.</summary>
internal static class AuditRecordWriter
{
    public const int SchemaVersion = 1;

    public static byte[] Canonical(AuditEntry entry, string id, string previousHash, IReadOnlyDictionary<string, string> tags)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            json.WriteStartObject();
            json.WriteNumber("v", SchemaVersion);
            json.WriteString("id", id);
            json.WriteString("ts", entry.Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
            json.WriteString("kind", entry.Kind);
            if (entry.RequestId is not null)
            {
                json.WriteString("request_id", entry.RequestId);
            }

            entry.WriteFields(json);
            if (tags.Count > 0)
            {
                json.WriteStartObject("tags");
                foreach (var (key, value) in tags)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteString("prev", previousHash);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
