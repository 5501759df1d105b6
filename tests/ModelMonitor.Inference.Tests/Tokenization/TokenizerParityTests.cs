using System.Text.Json;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Tokenization;

/// <summary>
/// Our ids must equal the reference's (Hugging Face's tokenizer in transformers.js 4.3.1) exactly.
/// The golden files come from tools/tokenizer-golden/generate.mjs.
/// </summary>
public sealed class TokenizerParityTests
{
    private static readonly Lazy<BertTokenizer> FromTokenizerJson = new(() => TokenizerLoader.FromDirectory(TestPaths.Sst2TinyModel));

    public static TheoryData<string> GoldenFiles => new() { "tokenizer-sst2-dev.json", "tokenizer-edge-cases.json" };

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Every_golden_text_encodes_to_the_reference_ids(string file)
    {
        var cases = LoadGolden(file);
        Assert.NotEmpty(cases);
        var mismatches = cases
            .Select(c => (c.Text, Expected: c.Ids, Actual: FromTokenizerJson.Value.Encode(c.Text, truncate: false).Ids))
            .Where(r => !r.Expected.SequenceEqual(r.Actual))
            .Select(r => $"{Shorten(JsonSerializer.Serialize(r.Text))}: expected [{Shorten(string.Join(",", r.Expected))}] got [{Shorten(string.Join(",", r.Actual))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ:\n" + string.Join("\n", mismatches.Take(10)));
    }

    [Fact]
    public void Golden_files_were_generated_from_this_tokenizer_json()
    {
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer.json"))));
        using var document = JsonDocument.Parse(File.ReadAllText(GoldenPath("tokenizer-edge-cases.json")));
        Assert.Equal(document.RootElement.GetProperty("tokenizer_json_sha256").GetString(), actual);
    }

    [Fact]
    public void Edge_case_golden_covers_a_two_thousand_word_text()
    {
        var longest = LoadGolden("tokenizer-edge-cases.json").MaxBy(c => c.Text.Length)!;
        Assert.Equal(2000, longest.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(longest.Ids.Length > 512, "the long text must exceed the model maximum to be interesting");
    }

    [Fact]
    public void Vocab_txt_fallback_encodes_like_tokenizer_json()
    {
        var fallback = TokenizerLoader.FromVocabulary(
            Path.Combine(TestPaths.Sst2TinyModel, "vocab.txt"),
            Path.Combine(TestPaths.Sst2TinyModel, "tokenizer_config.json"));
        var cases = LoadGolden("tokenizer-edge-cases.json").Concat(LoadGolden("tokenizer-sst2-dev.json").Take(200));
        foreach (var golden in cases)
        {
            Assert.Equal(golden.Ids, fallback.Encode(golden.Text, truncate: false).Ids);
        }
    }

    [Fact]
    public void Directory_without_tokenizer_json_falls_back_to_vocab_txt()
    {
        var directory = Directory.CreateTempSubdirectory("mm-vocab-").FullName;
        try
        {
            File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "vocab.txt"), Path.Combine(directory, "vocab.txt"));
            File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer_config.json"), Path.Combine(directory, "tokenizer_config.json"));
            var tokenizer = TokenizerLoader.FromDirectory(directory);
            Assert.Equal([101, 1045, 2293, 2023, 4031, 999, 102], tokenizer.Encode("I love this product!").Ids);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal sealed record GoldenCase(string Text, int[] Ids);

    internal static IReadOnlyList<GoldenCase> LoadGolden(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(GoldenPath(file)));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => new GoldenCase(c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToArray();
    }

    private static string Shorten(string value) => value.Length <= 300 ? value : value[..300] + "…";

    private static string GoldenPath(string file) => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Golden", file);
}
