using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Tokenization;

public sealed class BertTokenizerTests
{
    private static readonly BertTokenizer Tokenizer = TokenizerLoader.FromDirectory(TestPaths.Sst2TinyModel);

    private static string LongText(int words) => string.Join(' ', Enumerable.Range(0, words).Select(i => i % 2 == 0 ? "good" : "movie"));

    [Fact]
    public void Short_text_is_wrapped_in_cls_and_sep_and_not_truncated()
    {
        var encoding = Tokenizer.Encode("This is terrible.");
        Assert.Equal([101, 2023, 2003, 6659, 1012, 102], encoding.Ids);
        Assert.False(encoding.Truncated);
        Assert.Equal(6, encoding.UntruncatedLength);
    }

    [Fact]
    public void Long_text_is_truncated_to_the_model_maximum_keeping_the_final_sep()
    {
        var encoding = Tokenizer.Encode(LongText(1000));
        Assert.Equal(512, Tokenizer.ModelMaxLength);
        Assert.Equal(512, encoding.Length);
        Assert.True(encoding.Truncated);
        Assert.Equal(1002, encoding.UntruncatedLength);
        Assert.Equal(101, encoding.Ids[0]);
        Assert.Equal(102, encoding.Ids[^1]);
        Assert.Equal(Tokenizer.Encode(LongText(1000), truncate: false).Ids[..511], encoding.Ids[..511]);
    }

    [Fact]
    public void A_lower_configured_limit_truncates_earlier()
    {
        var encoding = Tokenizer.Encode(LongText(100), maxLength: 16);
        Assert.Equal(16, encoding.Length);
        Assert.True(encoding.Truncated);
        Assert.Equal(102, encoding.Ids[^1]);
    }

    [Fact]
    public void A_limit_above_the_model_maximum_is_capped_at_the_model_maximum()
    {
        Assert.Equal(512, Tokenizer.Encode(LongText(1000), maxLength: 4096).Length);
    }

    [Fact]
    public void Truncation_cuts_between_the_pieces_of_a_word_as_the_reference_does()
    {
        // "unflinchingly" is five pieces (un ##fl ##in ##ching ##ly); the library's own token limit would drop the whole word.
        var encoding = Tokenizer.Encode("unflinchingly bleak", maxLength: 5);
        Assert.Equal(["[CLS]", "un", "##fl", "##in", "[SEP]"], Tokenizer.IdsToTokens(encoding.Ids));
        Assert.True(encoding.Truncated);
        Assert.Equal(8, encoding.UntruncatedLength);
    }

    [Fact]
    public void The_library_tokenizer_runs_our_normalizer_and_pre_tokenizer()
    {
        Assert.IsType<HuggingFaceBertNormalizer>(Tokenizer.WordPiece.Normalizer);
        Assert.IsType<HuggingFaceBertPreTokenizer>(Tokenizer.WordPiece.PreTokenizer);
    }

    [Fact]
    public void Text_exactly_at_the_limit_is_not_reported_as_truncated()
    {
        var encoding = Tokenizer.Encode(LongText(14), maxLength: 16);
        Assert.Equal(16, encoding.Length);
        Assert.False(encoding.Truncated);
    }

    [Fact]
    public void Batch_is_padded_with_pad_id_and_masked()
    {
        var short1 = Tokenizer.Encode("good");
        var long1 = Tokenizer.Encode("a good movie indeed");
        var batch = new PaddedBatch([short1, long1], Tokenizer.PadId);
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal(long1.Length, batch.SequenceLength);
        Assert.Equal([101, 2204, 102, 0, 0, 0], batch.InputIds[..6]);
        Assert.Equal([1, 1, 1, 0, 0, 0], batch.AttentionMask[..6]);
        Assert.All(batch.AttentionMask[6..], m => Assert.Equal(1, m));
        Assert.All(batch.TokenTypeIds, t => Assert.Equal(0, t));
    }

    [Fact]
    public void Ids_map_back_to_tokens()
    {
        var encoding = Tokenizer.Encode("unflinchingly bleak");
        Assert.Equal(["[CLS]", "un", "##fl", "##in", "##ching", "##ly", "bleak", "[SEP]"], Tokenizer.IdsToTokens(encoding.Ids));
    }

    [Fact]
    public void Unpaired_surrogates_are_dropped_like_other_invalid_characters()
    {
        Assert.Equal(Tokenizer.Encode("ab").Ids, Tokenizer.Encode("a\uD800b").Ids);
    }

    [Fact]
    public void Word_longer_than_max_input_chars_per_word_is_unknown()
    {
        Assert.Equal([101, 100, 102], Tokenizer.Encode(new string('a', 101)).Ids);
        Assert.NotEqual([101, 100, 102], Tokenizer.Encode(new string('a', 100)).Ids);
    }

    [Fact]
    public void Unsupported_tokenizer_model_is_rejected_with_its_name()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"model": {"type": "BPE", "vocab": {}}}""");
            var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.FromTokenizerJson(file));
            Assert.Contains("BPE", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Malformed_tokenizer_json_is_reported_as_invalid_json()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{ not json");
            var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.FromTokenizerJson(file));
            Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
