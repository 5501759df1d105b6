using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Inference;

public sealed class BatchCutTests
{
    private static readonly BatchingOptions Defaults = new();

    [Fact]
    public void Similar_lengths_share_one_call()
    {
        Assert.Equal([(0, 5)], BatchCut([10, 10, 11, 12, 12], Defaults));
    }

    [Fact]
    public void A_much_longer_text_goes_to_its_own_call_instead_of_padding_the_rest()
    {
        Assert.Equal([(0, 4), (4, 1)], BatchCut([10, 10, 10, 10, 200], Defaults));
    }

    [Fact]
    public void Every_text_lands_in_exactly_one_call_within_the_budgets()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(3, 120)).Order().ToArray();
        var settings = new BatchingOptions { MaxBatchTexts = 32, MaxBatchTokens = 2048, MaxPaddingRatio = 1.5 };
        var cuts = BatchCut(lengths, settings);
        Assert.Equal(Enumerable.Range(0, lengths.Length), cuts.SelectMany(c => Enumerable.Range(c.Start, c.Count)));
        foreach (var (start, count) in cuts)
        {
            var slice = lengths.AsSpan(start, count);
            Assert.True(count <= 32);
            Assert.True(count == 1 || count * slice[^1] <= 2048);
            Assert.True(count == 1 || count * slice[^1] <= 1.5 * slice.ToArray().Sum());
        }
    }

    [Fact]
    public void A_ratio_of_infinity_reduces_to_the_text_and_token_budgets()
    {
        var settings = new BatchingOptions { MaxPaddingRatio = double.PositiveInfinity, MaxBatchTexts = 3 };
        Assert.Equal([(0, 3), (3, 2)], BatchCut([1, 2, 50, 60, 500], settings));
    }

    private static List<(int Start, int Count)> BatchCut(int[] lengths, BatchingOptions settings) => InferenceBatcher.Cut(lengths, settings);
}
