using ModelMonitor.Monitoring.Reference;

namespace ModelMonitor.Monitoring.Tests.Reference;

public sealed class ReferenceFileReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-ref-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Tsv_finds_the_text_and_label_columns_by_header()
    {
        var texts = ReferenceFileReader.Read(Write("r.tsv", "id\tsentence\tlabel\n1\tgood film \t1\n2\tbad\t\n"));
        Assert.Equal([new ReferenceText("good film", "1"), new ReferenceText("bad", null)], texts);
    }

    [Fact]
    public void Json_lines_take_string_or_number_labels()
    {
        var texts = ReferenceFileReader.Read(Write("r.jsonl", "{\"text\":\"a\",\"label\":\"POSITIVE\"}\n\n{\"text\":\"b\",\"label\":0}\n{\"text\":\"c\"}\n"));
        Assert.Equal([new ReferenceText("a", "POSITIVE"), new ReferenceText("b", "0"), new ReferenceText("c", null)], texts);
    }

    [Theory]
    [InlineData("r.csv", "text\nx\n", "must be .tsv, .jsonl or .ndjson")]
    [InlineData("r.tsv", "words\tlabel\nx\t1\n", "no text column")]
    [InlineData("r.tsv", "text\n", "holds no texts")]
    [InlineData("r.jsonl", "{\"text\": 3}\n", "r.jsonl:1")]
    [InlineData("r.jsonl", "{not json\n", "not valid JSON")]
    public void Unreadable_files_are_named_with_the_reason(string name, string content, string expected)
    {
        var error = Assert.Throws<ReferenceFormatException>(() => ReferenceFileReader.Read(Write(name, content)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_resolve_by_name_in_any_case_or_by_index()
    {
        string[] labels = ["NEGATIVE", "POSITIVE"];
        Assert.Equal(1, LabelNames.Resolve("positive", labels));
        Assert.Equal(0, LabelNames.Resolve("0", labels));
        Assert.Equal(-1, LabelNames.Resolve("2", labels));
        Assert.Equal(-1, LabelNames.Resolve("-1", labels));
        Assert.Equal(-1, LabelNames.Resolve("neutral", labels));
    }
}
