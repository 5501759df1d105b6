using System.Text.Json;
using ModelMonitor.Inference.Tokenization;

namespace ModelMonitor.Inference.Classification;

/// <summary>
/// A model in the Hugging Face export layout: <c>config.json</c> with <c>id2label</c>, the ONNX file
/// (<c>model.onnx</c> or <c>onnx/model*.onnx</c>), and the tokenizer (<c>tokenizer.json</c>, or
/// <c>vocab.txt</c> with <c>tokenizer_config.json</c>).
/// </summary>
public sealed record ModelFolder(
    string Directory,
    string ModelFile,
    string Name,
    string Version,
    IReadOnlyList<string> Labels,
    int? MaxPositionEmbeddings)
{
    public const string ConfigJson = "config.json";

    /// <summary>Validates the folder; throws <see cref="ModelFolderException"/> naming everything that is missing.</summary>
    public static ModelFolder Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new ModelFolderException($"Model folder '{full}' does not exist.");
        }

        var problems = new List<string>();
        var modelFile = FindModelFile(full);
        if (modelFile is null)
        {
            problems.Add("no ONNX model (expected model.onnx or onnx/model*.onnx)");
        }

        if (!File.Exists(Path.Combine(full, TokenizerLoader.TokenizerJson)) && !File.Exists(Path.Combine(full, TokenizerLoader.VocabTxt)))
        {
            problems.Add($"no tokenizer (expected {TokenizerLoader.TokenizerJson}, or {TokenizerLoader.VocabTxt} with {TokenizerLoader.TokenizerConfigJson})");
        }

        var config = ReadConfig(full, problems);
        if (problems.Count > 0 || config is null)
        {
            throw new ModelFolderException($"Model folder '{full}' is not usable: {string.Join("; ", problems)}.");
        }

        return new ModelFolder(full, modelFile!, config.Value.Name, config.Value.Version, config.Value.Labels, config.Value.MaxPositions);
    }

    private static string? FindModelFile(string directory)
    {
        var root = Path.Combine(directory, "model.onnx");
        if (File.Exists(root))
        {
            return root;
        }

        var onnxDirectory = Path.Combine(directory, "onnx");
        if (!System.IO.Directory.Exists(onnxDirectory))
        {
            return null;
        }

        var plain = Path.Combine(onnxDirectory, "model.onnx");
        if (File.Exists(plain))
        {
            return plain;
        }

        // Variants such as model_quantized.onnx: take the first in name order, so the choice is stable.
        return System.IO.Directory.GetFiles(onnxDirectory, "model*.onnx").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    private static (string Name, string Version, string[] Labels, int? MaxPositions)? ReadConfig(string directory, List<string> problems)
    {
        var path = Path.Combine(directory, ConfigJson);
        if (!File.Exists(path))
        {
            problems.Add($"{ConfigJson} is missing");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            problems.Add($"{ConfigJson} is not valid JSON ({e.Message})");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id2label", out var id2label) || id2label.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{ConfigJson} has no id2label");
                return null;
            }

            var labels = new SortedDictionary<int, string>();
            foreach (var entry in id2label.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, System.Globalization.CultureInfo.InvariantCulture, out var id) || entry.Value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{ConfigJson} id2label entry '{entry.Name}' is not an integer id with a string label");
                    return null;
                }

                labels[id] = entry.Value.GetString()!;
            }

            if (labels.Count < 2 || labels.Keys.First() != 0 || labels.Keys.Last() != labels.Count - 1)
            {
                problems.Add($"{ConfigJson} id2label must number at least two labels 0..n-1");
                return null;
            }

            var name = Text(root, "name") ?? Text(root, "_name_or_path") ?? Path.GetFileName(directory);
            var version = Text(root, "version") ?? "unversioned";
            int? maxPositions = root.TryGetProperty("max_position_embeddings", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : null;
            return (name, version, labels.Values.ToArray(), maxPositions);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
