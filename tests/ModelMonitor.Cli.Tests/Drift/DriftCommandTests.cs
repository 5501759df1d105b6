using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ModelMonitor.Cli.Tests.Drift;

public sealed class DriftCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Same_distribution_exits_zero_and_reports_no_drift()
    {
        var reference = WriteCsv("ref.csv", Rows(2000, seed: 1, shift: 0));
        var current = WriteCsv("cur.csv", Rows(2000, seed: 2, shift: 0));
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", current, "--format", "json");
        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.GetProperty("drift_detected").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("drift_share").GetDouble());
        Assert.Equal(3, report.RootElement.GetProperty("columns_compared").GetInt32());
    }

    [Fact]
    public void Shifted_numeric_column_exits_one_and_is_the_column_reported_as_drifted()
    {
        var reference = WriteCsv("ref.csv", Rows(2000, seed: 1, shift: 0));
        var current = WriteCsv("cur.csv", Rows(2000, seed: 2, shift: 1.5));
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", current, "--format", "json");
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var columns = report.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("drift", columns["score"].GetProperty("verdict").GetString());
        Assert.Equal("numeric", columns["score"].GetProperty("kind").GetString());
        Assert.Equal("stable", columns["color"].GetProperty("verdict").GetString());
        Assert.Equal("categorical", columns["color"].GetProperty("kind").GetString());
        var ks = columns["score"].GetProperty("tests").EnumerateArray().First(t => t.GetProperty("test").GetString() == "ks");
        Assert.True(ks.GetProperty("adjusted_p_value").GetDouble() < 0.05);
        Assert.Equal(1.0 / 3, report.RootElement.GetProperty("drift_share").GetDouble(), 1e-12);
    }

    [Fact]
    public void Text_report_lists_every_column_with_its_verdict()
    {
        var reference = WriteCsv("ref.csv", Rows(500, seed: 1, shift: 0));
        var current = WriteCsv("cur.csv", Rows(500, seed: 2, shift: 1.5));
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", current);
        Assert.Equal(1, exit);
        Assert.Contains("score", output, StringComparison.Ordinal);
        Assert.Contains("DRIFT", output, StringComparison.Ordinal);
        Assert.Contains("1 of 3 columns drifted", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lines_input_is_accepted()
    {
        var rows = Rows(800, seed: 3, shift: 0);
        var reference = Write("ref.jsonl", string.Join('\n', rows.Skip(1).Select(r => $"{{\"score\": {r[0]}, \"count\": {r[1]}, \"color\": \"{r[2]}\"}}")));
        var current = WriteCsv("cur.csv", Rows(800, seed: 4, shift: 0));
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", current, "--format", "json");
        Assert.Equal(0, exit);
        Assert.Contains("\"columns_compared\": 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_override_compares_a_numeric_looking_column_as_categories()
    {
        var reference = WriteCsv("ref.csv", Rows(500, seed: 1, shift: 0));
        var current = WriteCsv("cur.csv", Rows(500, seed: 2, shift: 0));
        var (_, output, _) = Run("drift", "--reference", reference, "--current", current, "--columns", "count", "--type", "count=categorical", "--format", "json");
        using var report = JsonDocument.Parse(output);
        var column = report.RootElement.GetProperty("columns")[0];
        Assert.Equal("categorical", column.GetProperty("kind").GetString());
        Assert.Equal("chi_square", column.GetProperty("tests")[0].GetProperty("test").GetString());
    }

    [Fact]
    public void Report_goes_to_the_output_file_when_asked()
    {
        var reference = WriteCsv("ref.csv", Rows(300, seed: 1, shift: 0));
        var target = Path.Combine(directory, "report.json");
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", reference, "--format", "json", "--output", target);
        Assert.Equal(0, exit);
        Assert.Contains("report written to", output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(target));
        Assert.False(report.RootElement.GetProperty("drift_detected").GetBoolean());
    }

    [Fact]
    public void Missing_file_exits_two_with_a_clear_error()
    {
        var (exit, _, error) = Run("drift", "--reference", Path.Combine(directory, "nope.csv"), "--current", Path.Combine(directory, "nope.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("File not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ragged_row_exits_two_naming_the_line()
    {
        var reference = Write("ref.csv", "a,b\n1,2\n3\n5,6\n");
        var (exit, _, error) = Run("drift", "--reference", reference, "--current", reference);
        Assert.Equal(2, exit);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("1 fields, but the header has 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_column_exits_two_listing_the_real_columns()
    {
        var reference = WriteCsv("ref.csv", Rows(50, seed: 1, shift: 0));
        var (exit, _, error) = Run("drift", "--reference", reference, "--current", reference, "--columns", "nonexistent");
        Assert.Equal(2, exit);
        Assert.Contains("Unknown column 'nonexistent'", error, StringComparison.Ordinal);
        Assert.Contains("score, count, color", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nan_in_a_numeric_column_exits_two_naming_the_column()
    {
        var reference = Write("ref.csv", "x\n1\n2\nNaN\n");
        var current = Write("cur.csv", "x\n1\n2\n3\n");
        var (exit, _, error) = Run("drift", "--reference", reference, "--current", current);
        Assert.Equal(2, exit);
        Assert.Contains("'x'", error, StringComparison.Ordinal);
        Assert.Contains("NaN", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_fields_with_commas_and_newlines_are_read_as_one_value()
    {
        var reference = Write("ref.csv", "text,n\n\"a, b\",1\n\"line\nbreak\",2\n\"say \"\"hi\"\"\",3\n");
        var (exit, output, _) = Run("drift", "--reference", reference, "--current", reference, "--format", "json");
        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(output);
        Assert.Equal(3, report.RootElement.GetProperty("reference").GetProperty("rows").GetInt32());
    }

    [Fact]
    public void Bad_arguments_exit_two()
    {
        Assert.Equal(2, Run("drift", "--reference", "x.csv").Exit);
        Assert.Equal(2, Run("drift", "--reference", "a", "--current", "b", "--format", "xml").Exit);
        Assert.Equal(2, Run("drift", "--reference", "a", "--current", "b", "--type", "col=weird").Exit);
    }

    [Fact]
    public void Large_files_report_progress_on_stderr()
    {
        var reference = WriteCsv("ref.csv", Rows(100_001, seed: 1, shift: 0));
        var (_, _, error) = Run("drift", "--reference", reference, "--current", reference, "--columns", "count");
        Assert.Contains("read 100,000 rows", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A header row, then rows of (score ~ bell-shaped + shift, count 0..9, color of 3).</summary>
    private static List<string[]> Rows(int n, int seed, double shift)
    {
        var random = new Random(seed);
        var rows = new List<string[]> { new[] { "score", "count", "color" } };
        string[] colors = ["red", "green", "blue"];
        for (var i = 0; i < n; i++)
        {
            var score = random.NextDouble() + random.NextDouble() + random.NextDouble() + shift;
            rows.Add([score.ToString("R", CultureInfo.InvariantCulture), random.Next(10).ToString(CultureInfo.InvariantCulture), colors[random.Next(3)]]);
        }

        return rows;
    }

    private string WriteCsv(string name, List<string[]> rows) => Write(name, string.Join('\n', rows.Select(r => string.Join(',', r))) + "\n");

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }
}
