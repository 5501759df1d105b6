using System.Text.Json;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Contracts;

/// <summary>
/// Reads an Open Inference Protocol inference request: <c>{"id"?, "inputs": [{"name": "text",
/// "datatype": "BYTES", "shape": [n], "data": [...]}], "outputs"?: [{"name"}]}</c>. Tensor data may be
/// flat or nested; its element count must match the shape. The same limits as /predict apply.
/// </summary>
internal static class OpenInferenceRequestParser
{
    public static (OpenInferenceRequest? Request, Rejection? Rejection) Parse(JsonDocument document, PredictOptions limits)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Bad("The request body must be a JSON object with \"inputs\".");
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null && !idElement.TryReadString(out id))
        {
            return Bad("'id' must be a string.");
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() != 1)
        {
            return Bad($"'inputs' must be an array with one tensor, \"{OpenInferenceModel.TextInput}\" (BYTES).");
        }

        var (texts, rejection) = ReadTextInput(inputs[0], limits);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        List<string>? outputs = null;
        if (root.TryGetProperty("outputs", out var requested) && requested.ValueKind != JsonValueKind.Null)
        {
            if (requested.ValueKind != JsonValueKind.Array)
            {
                return Bad("'outputs' must be an array of {\"name\": ...}.");
            }

            outputs = [];
            foreach (var output in requested.EnumerateArray())
            {
                if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || !name.TryReadString(out var outputName))
                {
                    return Bad("Each of 'outputs' must be an object with a string \"name\".");
                }

                if (outputName is not (OpenInferenceModel.ProbabilitiesOutput or OpenInferenceModel.LabelOutput))
                {
                    return Bad($"Unknown output '{outputName}'; the model's outputs are \"{OpenInferenceModel.ProbabilitiesOutput}\" and \"{OpenInferenceModel.LabelOutput}\".");
                }

                outputs.Add(outputName);
            }
        }

        return (new OpenInferenceRequest(id, texts!, outputs), null);
    }

    private static (string[]? Texts, Rejection? Rejection) ReadTextInput(JsonElement input, PredictOptions limits)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return BadTexts("inputs[0] must be a tensor object.");
        }

        if (!input.TryGetProperty("name", out var name) || !name.TryReadString(out var inputName) || inputName != OpenInferenceModel.TextInput)
        {
            return BadTexts($"inputs[0].name must be \"{OpenInferenceModel.TextInput}\", the model's input.");
        }

        if (!input.TryGetProperty("datatype", out var datatype) || !datatype.TryReadString(out var type) || type != "BYTES")
        {
            return BadTexts("inputs[0].datatype must be \"BYTES\": the texts to classify.");
        }

        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array || shape.GetArrayLength() == 0)
        {
            return BadTexts("inputs[0].shape must be an array of dimensions, like [2].");
        }

        long elements = 1;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out var size) || size < 0 || size > limits.MaxTexts)
            {
                return BadTexts($"inputs[0].shape must hold whole dimensions from 0 to {limits.MaxTexts}.");
            }

            // Capped as it grows, so no shape can overflow the count.
            elements = Math.Min(elements * size, limits.MaxTexts + 1L);
        }

        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return BadTexts("inputs[0].data must be an array of strings.");
        }

        var texts = new List<string>();
        var rejection = Flatten(data, texts, limits, depth: 0);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        if (texts.Count != elements)
        {
            return BadTexts($"inputs[0] has {texts.Count} elements in data but its shape [{string.Join(',', shape.EnumerateArray())}] holds {(elements > limits.MaxTexts ? $"more than {limits.MaxTexts}" : elements)}.");
        }

        return texts.Count == 0 ? BadTexts("inputs[0].data must contain at least one text.") : (texts.ToArray(), null);
    }

    /// <summary>Row-major flattening of nested data, refusing anything but strings, too many texts and too long ones.</summary>
    private static Rejection? Flatten(JsonElement data, List<string> texts, PredictOptions limits, int depth)
    {
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array && depth < 8)
            {
                if (Flatten(item, texts, limits, depth + 1) is { } nested)
                {
                    return nested;
                }

                continue;
            }

            if (!item.TryReadString(out var text))
            {
                return Rejection.BadRequest($"inputs[0].data[{texts.Count}] must be a {(item.ValueKind == JsonValueKind.String ? "valid UTF-8 string" : "string")}.");
            }

            if (texts.Count == limits.MaxTexts)
            {
                return Rejection.TooLarge($"inputs[0].data has more than {limits.MaxTexts} texts; at most {limits.MaxTexts} are accepted per request (Predict:MaxTexts).");
            }

            if (text.Length > limits.MaxTextChars)
            {
                return Rejection.TooLarge($"inputs[0].data[{texts.Count}] has {text.Length} characters; at most {limits.MaxTextChars} are accepted (Predict:MaxTextChars).");
            }

            texts.Add(text);
        }

        return null;
    }

    private static (OpenInferenceRequest? Request, Rejection? Rejection) Bad(string detail) => (null, Rejection.BadRequest(detail));

    private static (string[]? Texts, Rejection? Rejection) BadTexts(string detail) => (null, Rejection.BadRequest(detail));
}
