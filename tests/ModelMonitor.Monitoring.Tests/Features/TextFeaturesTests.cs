using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Tests.Features;

public class TextFeaturesTests
{
    [Fact]
    public void Character_length_counts_code_points_not_utf16_units()
    {
        var (chars, _) = TextFeatures.Characters("a😀b");
        Assert.Equal(3, chars);
    }

    [Theory]
    [InlineData("abc", 0.0)]
    [InlineData("ab 12", 0.5)]
    [InlineData("it 's good .", 2.0 / 9)]
    [InlineData("   ", 0.0)]
    [InlineData("Été !", 0.25)]
    public void Non_letter_share_ignores_whitespace(string text, double expected) =>
        Assert.Equal(expected, TextFeatures.Characters(text).NonLetterShare, 12);

    [Fact]
    public void Outputs_give_argmax_margin_and_entropy_in_bits()
    {
        var (label, confidence, margin, entropy) = TextFeatures.Outputs([0.25, 0.75]);
        Assert.Equal(1, label);
        Assert.Equal(0.75, confidence);
        Assert.Equal(0.5, margin, 12);
        Assert.Equal(-(0.25 * Math.Log2(0.25)) - (0.75 * Math.Log2(0.75)), entropy, 12);
        Assert.Equal(1.0, TextFeatures.Outputs([0.5, 0.5]).Entropy, 12);
        Assert.Equal(0.0, TextFeatures.Outputs([1.0, 0.0]).Entropy);
    }

    [Fact]
    public void Unknown_share_is_over_content_tokens_and_token_count_is_before_truncation()
    {
        // [CLS]=101, [UNK]=100, [SEP]=102: two of the three content tokens are unknown.
        var vector = TextFeatures.Compute("x y z", [101, 100, 2003, 100, 102], specialTokens: 2, unknownId: 100, untruncatedLength: 9, truncated: true, [0.9, 0.1]);
        Assert.Equal(2.0 / 3, vector.UnknownTokenShare, 12);
        Assert.Equal(9, vector.TokenCount);
        Assert.True(vector.Truncated);
        Assert.Equal(0, vector.PredictedLabel);
        Assert.Equal("true", vector.Category(FeatureNames.Truncated, ["A", "B"]));
        Assert.Equal("A", vector.Category(FeatureNames.PredictedLabel, ["A", "B"]));
    }

    [Fact]
    public void Every_feature_is_named_once_and_typed()
    {
        Assert.Equal(12, FeatureNames.All.Distinct().Count());
        Assert.Equal(FeatureNames.All.Order(), FeatureNames.Numeric.Concat(FeatureNames.Categorical).Order());
        Assert.All(FeatureNames.Inputs, f => Assert.True(FeatureNames.IsInput(f)));
        Assert.All(FeatureNames.Outputs, f => Assert.False(FeatureNames.IsInput(f)));
    }
}
