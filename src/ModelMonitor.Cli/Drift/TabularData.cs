namespace ModelMonitor.Cli.Drift;

/// <summary>A table read from CSV or JSON Lines: column names and each row's raw values (null = missing).</summary>
internal sealed class TabularData(string source, IReadOnlyList<string> columns, List<string?[]> rows)
{
    public string Source { get; } = source;

    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<string?[]> Rows { get; } = rows;

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        return -1;
    }

    public IEnumerable<string?> Values(string column)
    {
        var index = IndexOf(column);
        return index < 0 ? Enumerable.Repeat<string?>(null, Rows.Count) : Rows.Select(r => r[index]);
    }
}

/// <summary>A problem with the input the user gave: reported in one line, exit code 2.</summary>
internal sealed class CliInputException(string message) : Exception(message);
