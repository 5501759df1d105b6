using System.Text.Json;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Contracts;

/// <summary>
/// Reads Hugging Face text-classification bodies: <c>{"inputs": str | [str]}</c> plus, for Inference
/// Endpoints, <c>"parameters": {"top_k", "function_to_apply"}</c>, or, for text-embeddings-inference,
/// <c>"raw_scores"</c> and <c>"truncate"</c>. The same limits as /predict apply.
/// </summary>
internal static class HuggingFaceRequestParser
{
    /// <summary>The Inference Endpoints shape (POST /): texts are cut to the model's length, as the pipeline does.</summary>
    public static (HuggingFaceRequest? Request, Rejection? Rejection) ParseInferenceEndpoints(JsonDocument document, PredictOptions limits)
    {
        var (texts, isList, rejection) = ReadInputs(document.RootElement, limits);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        var function = ScoreFunction.Softmax;
        int? topK = null;
        if (document.RootElement.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
        {
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                return (null, Rejection.BadRequest("'parameters' must be an object."));
            }

            if (parameters.TryGetProperty("top_k", out var k) && k.ValueKind != JsonValueKind.Null)
            {
                if (k.ValueKind != JsonValueKind.Number || !k.TryGetInt32(out var value) || value < 1)
                {
                    return (null, Rejection.BadRequest("'parameters.top_k' must be a positive integer."));
                }

                topK = value;
            }

            if (parameters.TryGetProperty("function_to_apply", out var f) && f.ValueKind != JsonValueKind.Null)
            {
                f.TryReadString(out var name);
                ScoreFunction? parsed = name switch
                {
                    "softmax" => ScoreFunction.Softmax,
                    "sigmoid" => ScoreFunction.Sigmoid,
                    "none" => ScoreFunction.None,
                    _ => null,
                };
                if (parsed is null)
                {
                    return (null, Rejection.BadRequest("'parameters.function_to_apply' must be \"softmax\", \"sigmoid\" or \"none\"."));
                }

                function = parsed.Value;
            }
        }

        return (new HuggingFaceRequest(texts!, isList, function, topK, Truncate: true), null);
    }

    /// <summary>The text-embeddings-inference shape (POST /predict with "inputs"): truncate defaults to false, as in TEI.</summary>
    public static (HuggingFaceRequest? Request, Rejection? Rejection) ParseTextEmbeddingsInference(JsonDocument document, PredictOptions limits)
    {
        var root = document.RootElement;
        var (texts, isList, rejection) = ReadInputs(root, limits);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        var (rawScores, rawRejection) = ReadFlag(root, "raw_scores");
        var (truncate, truncateRejection) = ReadFlag(root, "truncate");
        if ((rawRejection ?? truncateRejection) is { } flagRejection)
        {
            return (null, flagRejection);
        }

        return (new HuggingFaceRequest(texts!, isList, rawScores ? ScoreFunction.None : ScoreFunction.Softmax, null, truncate), null);
    }

    private static (bool Value, Rejection? Rejection) ReadFlag(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var flag) || flag.ValueKind == JsonValueKind.Null ? (false, null)
        : flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? (flag.GetBoolean(), null)
        : (false, Rejection.BadRequest($"'{name}' must be a boolean."));

    private static (string[]? Texts, bool IsList, Rejection? Rejection) ReadInputs(JsonElement root, PredictOptions limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, false, Rejection.BadRequest("The request body must be a JSON object like {\"inputs\": \"...\"}."));
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind == JsonValueKind.Null)
        {
            return (null, false, Rejection.BadRequest("'inputs' is required: a string or an array of strings."));
        }

        if (inputs.ValueKind == JsonValueKind.String)
        {
            var (text, rejection) = ReadText(inputs, "inputs", limits);
            return (text is null ? null : [text], false, rejection);
        }

        if (inputs.ValueKind != JsonValueKind.Array)
        {
            return (null, false, Rejection.BadRequest("'inputs' must be a string or an array of strings."));
        }

        var count = inputs.GetArrayLength();
        if (count == 0)
        {
            return (null, true, Rejection.BadRequest("'inputs' must contain at least one text."));
        }

        if (count > limits.MaxTexts)
        {
            return (null, true, Rejection.TooLarge($"'inputs' has {count} items; at most {limits.MaxTexts} are accepted per request (Predict:MaxTexts)."));
        }

        var texts = new string[count];
        var index = 0;
        foreach (var item in inputs.EnumerateArray())
        {
            var (text, rejection) = ReadText(item, $"inputs[{index}]", limits);
            if (rejection is not null)
            {
                return (null, true, rejection);
            }

            texts[index++] = text!;
        }

        return (texts, true, null);
    }

    private static (string? Text, Rejection? Rejection) ReadText(JsonElement item, string field, PredictOptions limits)
    {
        if (!item.TryReadString(out var text))
        {
            return (null, Rejection.BadRequest(item.ValueKind == JsonValueKind.String ? $"{field} is not valid UTF-8." : $"{field} must be a string."));
        }

        return text.Length > limits.MaxTextChars
            ? (null, Rejection.TooLarge($"{field} has {text.Length} characters; at most {limits.MaxTextChars} are accepted (Predict:MaxTextChars)."))
            : (text, null);
    }
}
