using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Tests.Features;

public class NoisyTextFeaturesTests
{
    [Fact]
    public void Upper_case_share_is_counted_on_the_text_as_sent_over_letters_only()
    {
        Assert.Equal(0.5, TextFeatures.UpperCaseShare("AbCd 12!"), 12);
        Assert.Equal(0, TextFeatures.UpperCaseShare("1234 !?"));
        Assert.Equal(1, TextFeatures.UpperCaseShare("ÉTÉ"), 12);
    }

    [Fact]
    public void Words_count_pieces_between_the_special_tokens()
    {
        // [CLS] un ##believ ##able film [SEP]: continuation ids are 11 and 12.
        int[] ids = [101, 10, 11, 12, 20, 102];
        var (perWord, split) = TextFeatures.Words(ids, 2, id => id is 11 or 12);
        Assert.Equal(2.0, perWord, 12);
        Assert.Equal(0.5, split, 12);
        Assert.Equal((0.0, 0.0), TextFeatures.Words([101, 102], 2, _ => false));
    }
}
