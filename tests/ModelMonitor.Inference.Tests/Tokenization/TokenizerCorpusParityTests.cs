using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Tokenization;

/// <summary>
/// Every text of SST-2 train and banking77 dev must encode to the reference's ids. The golden
/// (tools/tokenizer-golden/generate.mjs) keeps, per text, the first bytes of sha256 of the
/// reference ids joined by commas, plus full ids for a sample; we hash our ids the same way.
/// </summary>
public sealed class TokenizerCorpusParityTests
{
    private static readonly Lazy<BertTokenizer> Tokenizer = new(() => TokenizerLoader.FromDirectory(TestPaths.Sst2TinyModel));

    private static readonly Lazy<JsonDocument> Golden = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Tokenization", "Golden", "tokenizer-corpora.json"))));

    /// <summary>Texts in failure messages as JSON strings, but with their characters readable.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Corpora => new() { "sst2/train.tsv", "banking77/dev.tsv" };

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Every_text_of_the_corpus_encodes_to_the_reference_ids(string file)
    {
        var corpus = Corpus(file);
        var path = Path.Combine(TestPaths.SharedDirectory, "data", file);
        var bytes = File.ReadAllBytes(path);
        Assert.True(
            corpus.GetProperty("file_sha256").GetString() == Convert.ToHexStringLower(SHA256.HashData(bytes)),
            $"{path} is not the file the golden was generated from; regenerate it (docs/tokenizer.md).");
        var texts = ReadTexts(bytes);
        Assert.Equal(corpus.GetProperty("texts").GetInt32(), texts.Length);

        var expected = Convert.FromBase64String(corpus.GetProperty("hashes").GetString()!);
        var hashLength = expected.Length / texts.Length;
        Assert.Equal(texts.Length * hashLength, expected.Length);
        var mismatches = new List<string>();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = Tokenizer.Value.Encode(texts[i], truncate: false).Ids;
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ids)), hash);
            if (!hash[..hashLength].SequenceEqual(expected.AsSpan(i * hashLength, hashLength)))
            {
                mismatches.Add($"row {i + 1} {JsonSerializer.Serialize(texts[i], Readable)}: got [{string.Join(",", ids)}], which is not the reference's");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {texts.Length} texts of {file} differ from the reference:\n" + string.Join("\n", mismatches.Take(10)));
    }

    [Theory]
    [MemberData(nameof(Corpora))]
    public void Sampled_texts_encode_to_the_full_reference_ids(string file)
    {
        var corpus = Corpus(file);
        var texts = ReadTexts(File.ReadAllBytes(Path.Combine(TestPaths.SharedDirectory, "data", file)));
        var samples = corpus.GetProperty("samples").EnumerateArray().ToArray();
        Assert.NotEmpty(samples);
        foreach (var sample in samples)
        {
            var text = texts[sample.GetProperty("index").GetInt32()];
            int[] expected = [.. sample.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())];
            Assert.True(expected.SequenceEqual(Tokenizer.Value.Encode(text, truncate: false).Ids), $"{JsonSerializer.Serialize(text, Readable)} differs from the reference");
        }
    }

    [Fact]
    public void Corpus_golden_was_generated_from_this_tokenizer_json()
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer.json"))));
        Assert.Equal(Golden.Value.RootElement.GetProperty("tokenizer_json_sha256").GetString(), actual);
    }

    /// <summary>A TSV's first column, every row after the header, split exactly as the generator splits it.</summary>
    private static string[] ReadTexts(byte[] bytes) =>
        [.. Encoding.UTF8.GetString(bytes).Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[0])];

    private static JsonElement Corpus(string file) =>
        Golden.Value.RootElement.GetProperty("corpora").EnumerateArray().Single(c => c.GetProperty("file").GetString() == file);
}
