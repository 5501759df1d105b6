using System.Text.Json;

namespace ModelMonitor.Monitoring.Reference;

/// <summary>
/// Reads reference texts from TSV (a header row; the text column is <c>text</c> or <c>sentence</c>
/// unless named, the label column <c>label</c>) or JSON Lines (<c>{"text": "...", "label": ...}</c>).
/// The format follows the extension: .tsv, .jsonl or .ndjson.
/// </summary>
public static class ReferenceFileReader
{
    private static readonly string[] TextColumns = ["text", "sentence"];

    public static IReadOnlyList<ReferenceText> Read(string path, string? textColumn = null, string labelColumn = "label")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ReferenceFormatException($"The reference file '{path}' does not exist.");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        var texts = extension switch
        {
            ".tsv" => ReadTsv(path, textColumn, labelColumn),
            ".jsonl" or ".ndjson" => ReadJsonLines(path, textColumn ?? "text", labelColumn),
            _ => throw new ReferenceFormatException($"The reference file '{path}' must be .tsv, .jsonl or .ndjson; got '{extension}'."),
        };
        if (texts.Count == 0)
        {
            throw new ReferenceFormatException($"The reference file '{path}' holds no texts.");
        }

        return texts;
    }

    private static List<ReferenceText> ReadTsv(string path, string? textColumn, string labelColumn)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split('\t') ?? throw new ReferenceFormatException($"The reference file '{path}' is empty.");
        var textIndex = textColumn is null
            ? Array.FindIndex(header, h => TextColumns.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase))
            : Array.FindIndex(header, h => string.Equals(h.Trim(), textColumn, StringComparison.OrdinalIgnoreCase));
        if (textIndex < 0)
        {
            throw new ReferenceFormatException($"The reference file '{path}' has no text column ({textColumn ?? "text or sentence"}) in its header: {string.Join(", ", header)}.");
        }

        var labelIndex = Array.FindIndex(header, h => string.Equals(h.Trim(), labelColumn, StringComparison.OrdinalIgnoreCase));
        var texts = new List<ReferenceText>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length <= Math.Max(textIndex, labelIndex))
            {
                throw new ReferenceFormatException($"{path}:{lineNumber}: expected {header.Length} tab-separated fields, found {fields.Length}.");
            }

            var label = labelIndex >= 0 && fields[labelIndex].Trim().Length > 0 ? fields[labelIndex].Trim() : null;
            texts.Add(new ReferenceText(fields[textIndex].Trim(), label));
        }

        return texts;
    }

    private static List<ReferenceText> ReadJsonLines(string path, string textField, string labelField)
    {
        var texts = new List<ReferenceText>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(textField, out var text) || text.ValueKind != JsonValueKind.String)
                {
                    throw new ReferenceFormatException($"{path}:{lineNumber}: each line must be an object with a string '{textField}'.");
                }

                string? label = null;
                if (root.TryGetProperty(labelField, out var labelValue))
                {
                    label = labelValue.ValueKind switch
                    {
                        JsonValueKind.String => labelValue.GetString(),
                        JsonValueKind.Number => labelValue.GetRawText(),
                        JsonValueKind.Null => null,
                        _ => throw new ReferenceFormatException($"{path}:{lineNumber}: '{labelField}' must be a string or a number."),
                    };
                }

                texts.Add(new ReferenceText(text.GetString()!, label));
            }
            catch (JsonException e)
            {
                throw new ReferenceFormatException($"{path}:{lineNumber}: not valid JSON ({e.Message}).", e);
            }
        }

        return texts;
    }
}
