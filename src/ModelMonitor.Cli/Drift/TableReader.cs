using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelMonitor.Cli.Drift;

/// <summary>
/// Reads CSV (RFC 4180: a header row, quoted fields with doubled quotes and embedded newlines) or
/// JSON Lines (one object per line; the columns are the union of the keys). Progress goes to the
/// progress writer every 100,000 rows.
/// </summary>
internal static class TableReader
{
    private const int ProgressEvery = 100_000;

    public static TabularData Read(string path, string? format, TextWriter progress)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"File not found: {path}");
        }

        var kind = format ?? (Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" ? "jsonl" : "csv");
        return kind == "jsonl" ? ReadJsonLines(path, progress) : ReadCsv(path, progress);
    }

    private static TabularData ReadCsv(string path, TextWriter progress)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var line = 1;
        var header = ReadRecord(reader, ref line, path) ?? throw new CliInputException($"{path} is empty; expected a header row.");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CliInputException($"{path}: column '{duplicate.Key}' appears twice in the header.");
        }

        var rows = new List<string?[]>();
        while (true)
        {
            var recordLine = line;
            var record = ReadRecord(reader, ref line, path);
            if (record is null)
            {
                break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            if (record.Count != header.Count)
            {
                throw new CliInputException($"{path} line {recordLine}: {record.Count} fields, but the header has {header.Count}.");
            }

            rows.Add(record.Select(v => v.Length == 0 ? null : v).ToArray());
            Progress(progress, path, rows.Count);
        }

        return new TabularData(path, header, rows);
    }

    /// <summary>One CSV record, or null at the end of the file.</summary>
    private static List<string>? ReadRecord(StreamReader reader, ref int line, string path)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var startLine = line;
        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                if (quoted)
                {
                    throw new CliInputException($"{path} line {startLine}: a quoted field is never closed.");
                }

                fields.Add(field.ToString());
                return fields;
            }

            var c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    line++;
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append(c);
                    break;
            }
        }
    }

    private static TabularData ReadJsonLines(string path, TextWriter progress)
    {
        var columns = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = new List<Dictionary<int, string?>>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new CliInputException($"{path} line {lineNumber}: not valid JSON ({e.Message})");
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CliInputException($"{path} line {lineNumber}: expected a JSON object per line.");
                }

                var record = new Dictionary<int, string?>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!index.TryGetValue(property.Name, out var column))
                    {
                        column = columns.Count;
                        index[property.Name] = column;
                        columns.Add(property.Name);
                    }

                    record[column] = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => throw new CliInputException($"{path} line {lineNumber}: '{property.Name}' is {property.Value.ValueKind}; only strings, numbers, booleans and null are columns."),
                    };
                }

                records.Add(record);
                Progress(progress, path, records.Count);
            }
        }

        var rows = records.Select(r =>
        {
            var row = new string?[columns.Count];
            foreach (var (column, value) in r)
            {
                row[column] = value;
            }

            return row;
        }).ToList();
        return new TabularData(path, columns, rows);
    }

    private static void Progress(TextWriter progress, string path, int rows)
    {
        if (rows % ProgressEvery == 0)
        {
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"modelmonitor: read {rows:N0} rows from {path}"));
        }
    }
}
