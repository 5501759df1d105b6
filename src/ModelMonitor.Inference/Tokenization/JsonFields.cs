using System.Text.Json;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>Reading the optional, loosely typed fields of Hugging Face's tokenizer files.</summary>
internal static class JsonFields
{
    public static JsonDocument ParseFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    public static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new TokenizerFormatException($"{path}: required field '{name}' is missing.");

    public static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Flag(JsonElement element, string name, bool fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;

    /// <summary>A flag that may also be null or absent, which means "decide from another setting".</summary>
    public static bool? OptionalFlag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>Special tokens appear either as strings or as objects with a "content" field.</summary>
    public static string? TokenString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }
}
