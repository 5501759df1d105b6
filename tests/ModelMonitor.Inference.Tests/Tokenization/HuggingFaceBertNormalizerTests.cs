using ModelMonitor.Inference.Tokenization;

namespace ModelMonitor.Inference.Tests.Tokenization;

public sealed class HuggingFaceBertNormalizerTests
{
    public static TheoryData<bool, bool> Settings => new() { { true, true }, { true, false }, { false, true }, { false, false } };

    /// <summary>The one-pass ASCII path must agree with the reference's steps run one after another.</summary>
    [Theory]
    [MemberData(nameof(Settings))]
    public void Ascii_fast_path_equals_the_step_by_step_normalisation(bool cleanText, bool lowercase)
    {
        var normalizer = new HuggingFaceBertNormalizer(new BertNormalizerOptions { CleanText = cleanText, Lowercase = lowercase });
        for (var c = 0; c < 0x80; c++)
        {
            var text = $"aB{(char)c}Cd";
            var expected = cleanText ? HuggingFaceBertNormalizer.CleanText(text) : text;
            expected = lowercase ? JavaScriptLowercase.ToLower(expected) : expected;
            Assert.Equal(expected, normalizer.Normalize(text));
        }
    }

    [Fact]
    public void Line_breaks_and_tabs_become_spaces_and_other_controls_vanish()
    {
        // Vertical tab and form feed are controls first (as in the reference), so they vanish rather than split.
        var normalizer = new HuggingFaceBertNormalizer(new BertNormalizerOptions());
        Assert.Equal("a b c  def", normalizer.Normalize("A\tb\nc\r\nD\v\fe\u0000\u007Ff"));
    }

    [Fact]
    public void Symbols_and_emoji_are_kept_for_the_pre_tokenizer()
    {
        var normalizer = new HuggingFaceBertNormalizer(new BertNormalizerOptions());
        Assert.Equal("$5 + €3 = 😀 `x`", normalizer.Normalize("$5 + €3 = 😀 `X`"));
    }

    [Fact]
    public void Unchanged_ascii_text_is_returned_without_a_copy()
    {
        var text = "already normal text , with punctuation !";
        Assert.Same(text, new HuggingFaceBertNormalizer(new BertNormalizerOptions()).Normalize(text));
    }

    [Fact]
    public void Accents_are_stripped_only_when_lowercasing_unless_set_explicitly()
    {
        Assert.Equal("cafe", new HuggingFaceBertNormalizer(new BertNormalizerOptions()).Normalize("Café"));
        Assert.Equal("Café", new HuggingFaceBertNormalizer(new BertNormalizerOptions { Lowercase = false }).Normalize("Café"));
        Assert.Equal("Cafe", new HuggingFaceBertNormalizer(new BertNormalizerOptions { Lowercase = false, StripAccents = true }).Normalize("Café"));
        Assert.Equal("café", new HuggingFaceBertNormalizer(new BertNormalizerOptions { StripAccents = false }).Normalize("Café"));
    }
}
