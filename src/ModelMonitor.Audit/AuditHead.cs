using System.Text.Json;

namespace ModelMonitor.Audit;

/// <summary>
/// <c>audit.head</c>: the id and hash of the last committed record, replaced atomically after each
/// commit. A hash chain cannot see records cut from its end; the head can.
/// </summary>
public static class AuditHead
{
    public const string FileName = "audit.head";

    internal static void Write(string directory, string id, string hash)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["hash"] = hash }));
        File.Move(temporary, path, overwrite: true);
    }

    public static (string Id, string Hash)? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
            return values is not null && values.TryGetValue("id", out var id) && values.TryGetValue("hash", out var hash) ? (id, hash) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
