using System.Text.Json.Nodes;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Tokenization;

/// <summary>
/// Added tokens beyond BERT's five specials, on a copy of sst2-tiny's tokenizer.json with two more:
/// <c>Movie-Night</c> (id 30522, normalized: matched after lowercasing, inside words too) and
/// <c>&lt;ent&gt;</c> (id 30523, not normalized: matched in the raw text only). The expected ids
/// are the reference's (transformers.js 4.3.1) for this same file.
/// </summary>
public sealed class AddedTokenTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-added-").FullName;
    private readonly BertTokenizer tokenizer;

    public AddedTokenTests()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer.json")))!;
        var added = json["added_tokens"]!.AsArray();
        added.Add(new JsonObject { ["id"] = 30522, ["content"] = "Movie-Night", ["normalized"] = true, ["special"] = false });
        added.Add(new JsonObject { ["id"] = 30523, ["content"] = "<ent>", ["normalized"] = false, ["special"] = true });
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), json.ToJsonString());
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer_config.json"), Path.Combine(directory, "tokenizer_config.json"));
        tokenizer = TokenizerLoader.FromDirectory(directory);
    }

    public static TheoryData<string, int[]> ReferenceCases => new()
    {
        { "a great Movie-Night!", [101, 1037, 2307, 30522, 999, 102] },
        { "MOVIE-NIGHT and movie-night", [101, 30522, 1998, 30522, 102] },
        { "othermovie-nights", [101, 2060, 30522, 1055, 102] },
        { "x<ent>y <ENT>", [101, 1060, 30523, 1061, 1026, 4372, 2102, 1028, 102] },
        { "Movie-Night", [101, 30522, 102] },
        { "a Movie-Night<ent>b", [101, 1037, 30522, 30523, 1038, 102] },
    };

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Added_tokens_are_matched_as_the_reference_matches_them(string text, int[] expected)
    {
        Assert.Equal(expected, tokenizer.Encode(text).Ids);
    }

    [Fact]
    public void Added_tokens_show_their_own_content()
    {
        Assert.Equal(["[CLS]", "Movie-Night", "<ent>", "[SEP]"], tokenizer.IdsToTokens(tokenizer.Encode("movie-night<ent>").Ids));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
