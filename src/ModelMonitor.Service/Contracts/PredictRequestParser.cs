using System.Text.Json;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Contracts;

/// <summary>
/// Validates <c>{"texts": ["...", ...]}</c> and <c>{"text": "..."}</c> bodies, naming the exact
/// field at fault: missing or empty texts, non-string items, too many texts, texts too long.
/// </summary>
internal static class PredictRequestParser
{
    /// <summary>
    /// A /predict body in this service's shape (<c>"texts"</c>) or text-embeddings-inference's
    /// (<c>"inputs"</c>); both at once is a 400. A TEI body's own mistakes travel in
    /// <see cref="PredictBody.TeiRejection"/>, so they are answered in TEI's error body.
    /// </summary>
    public static (PredictBody? Body, Rejection? Rejection) ParseBody(JsonDocument document, PredictOptions limits)
    {
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("inputs", out _))
        {
            if (root.TryGetProperty("texts", out _))
            {
                return (null, Rejection.BadRequest("The body has both 'texts' (this service's shape) and 'inputs' (text-embeddings-inference's shape); send one of them."));
            }

            var (request, rejection) = HuggingFaceRequestParser.ParseTextEmbeddingsInference(document, limits);
            return (new PredictBody(null, request, rejection), null);
        }

        var (texts, textsRejection) = ParseTexts(document, limits);
        return textsRejection is null ? (new PredictBody(texts, null, null), null) : (null, textsRejection);
    }

    public static (string[]? Texts, Rejection? Rejection) ParseTexts(JsonDocument document, PredictOptions limits)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, Rejection.BadRequest($"The request body must be a JSON object like {{\"texts\": [\"...\"]}}; got {Describe(root.ValueKind)}."));
        }

        if (!root.TryGetProperty("texts", out var texts) || texts.ValueKind == JsonValueKind.Null)
        {
            return (null, Rejection.BadRequest("'texts' is required: an array of strings (or 'inputs', text-embeddings-inference's shape)."));
        }

        if (texts.ValueKind != JsonValueKind.Array)
        {
            return (null, Rejection.BadRequest($"'texts' must be an array of strings; got {Describe(texts.ValueKind)}."));
        }

        var count = texts.GetArrayLength();
        if (count == 0)
        {
            return (null, Rejection.BadRequest("'texts' must contain at least one text."));
        }

        if (count > limits.MaxTexts)
        {
            return (null, Rejection.TooLarge($"'texts' has {count} items; at most {limits.MaxTexts} are accepted per request (Predict:MaxTexts)."));
        }

        var result = new string[count];
        var index = 0;
        foreach (var item in texts.EnumerateArray())
        {
            var (text, rejection) = ReadText(item, $"texts[{index}]", limits);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            result[index++] = text!;
        }

        return (result, null);
    }

    public static (string? Text, Rejection? Rejection) ParseText(JsonDocument document, PredictOptions limits)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, Rejection.BadRequest($"The request body must be a JSON object like {{\"text\": \"...\"}}; got {Describe(root.ValueKind)}."));
        }

        if (!root.TryGetProperty("text", out var text))
        {
            return (null, Rejection.BadRequest("'text' is required: a string."));
        }

        return ReadText(text, "text", limits);
    }

    private static (string? Text, Rejection? Rejection) ReadText(JsonElement item, string field, PredictOptions limits)
    {
        if (item.ValueKind != JsonValueKind.String)
        {
            return (null, Rejection.BadRequest($"{field} must be a string; got {Describe(item.ValueKind)}."));
        }

        string text;
        try
        {
            text = item.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // The JSON reader checks structure, not the UTF-8 inside strings; decoding does.
            return (null, Rejection.BadRequest($"{field} is not valid UTF-8."));
        }

        if (text.Length > limits.MaxTextChars)
        {
            return (null, Rejection.TooLarge($"{field} has {text.Length} characters; at most {limits.MaxTextChars} are accepted (Predict:MaxTextChars)."));
        }

        return (text, null);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
