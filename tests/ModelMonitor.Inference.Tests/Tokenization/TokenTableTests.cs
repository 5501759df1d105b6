using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Tokenization;

public sealed class TokenTableTests
{
    private static readonly string?[] Tokens = ["[PAD]", null, "", "##ing", "héllo", "#", "😀", "\ud800", "##"];

    [Fact]
    public void Every_token_comes_back_exactly_as_given()
    {
        var table = new TokenTable(Tokens);
        for (var id = 0; id < Tokens.Length; id++)
        {
            Assert.Equal(Tokens[id], table[id]);
        }
    }

    [Fact]
    public void Ids_outside_the_table_have_no_token()
    {
        var table = new TokenTable(Tokens);
        Assert.Null(table[-1]);
        Assert.Null(table[Tokens.Length]);
        Assert.Null(table[int.MaxValue]);
    }

    [Fact]
    public void A_prefix_is_checked_on_the_packed_characters()
    {
        var table = new TokenTable(Tokens);
        Assert.True(table.StartsWith(3, "##"));
        Assert.True(table.StartsWith(8, "##"));
        Assert.False(table.StartsWith(5, "##"));
        Assert.False(table.StartsWith(1, "##"));
        Assert.False(table.StartsWith(2, "##"));
        Assert.False(table.StartsWith(Tokens.Length, "##"));
    }

    [Fact]
    public void The_real_vocabulary_round_trips()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.Sst2TinyModel, "vocab.txt"));
        var table = new TokenTable(lines);
        Assert.All(Enumerable.Range(0, lines.Length), id => Assert.Equal(lines[id], table[id]));
    }
}
