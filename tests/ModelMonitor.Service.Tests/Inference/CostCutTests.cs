using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Inference;

public sealed class CostCutTests
{
    private static readonly BatchingOptions Defaults = new();

    private static double Cost(int[] lengths, IEnumerable<(int Start, int Count)> cuts, double overhead) =>
        cuts.Sum(c => overhead + ((double)c.Count * lengths[c.Start + c.Count - 1]));

    [Fact]
    public void Without_call_overhead_nothing_is_padded()
    {
        int[] lengths = [10, 10, 11, 12, 12, 40];
        var cuts = InferenceBatcher.CostCut(lengths, Defaults, 0);
        Assert.Equal(lengths.Sum(), Cost(lengths, cuts, 0));
    }

    [Fact]
    public void With_a_large_overhead_calls_are_as_few_as_the_budgets_allow()
    {
        int[] lengths = [1, 2, 50, 60, 500];
        var settings = new BatchingOptions { MaxBatchTexts = 3 };
        var cuts = InferenceBatcher.CostCut(lengths, settings, 1e6);
        Assert.Equal(2, cuts.Count);
        Assert.Equal([(0, 3), (3, 2)], cuts);
    }

    [Fact]
    public void The_cut_is_never_costlier_than_the_padding_ratio_cut_and_respects_the_budgets()
    {
        var random = new Random(11);
        var settings = new BatchingOptions { MaxBatchTexts = 16, MaxBatchTokens = 1024 };
        for (var trial = 0; trial < 50; trial++)
        {
            var lengths = Enumerable.Range(0, random.Next(1, 200)).Select(_ => random.Next(3, 120)).Order().ToArray();
            var overhead = random.NextDouble() * 64;
            var cuts = InferenceBatcher.CostCut(lengths, settings, overhead);
            Assert.Equal(Enumerable.Range(0, lengths.Length), cuts.SelectMany(c => Enumerable.Range(c.Start, c.Count)));
            Assert.All(cuts, c => Assert.True(c.Count <= 16 && (c.Count == 1 || c.Count * lengths[c.Start + c.Count - 1] <= 1024)));
            Assert.True(Cost(lengths, cuts, overhead) <= Cost(lengths, InferenceBatcher.Cut(lengths, settings), overhead) + 1e-9);
        }
    }

    [Fact]
    public void The_cost_model_learns_the_overhead_in_tokens_from_call_timings()
    {
        var model = new CallCostModel();
        var random = new Random(3);
        for (var i = 0; i < 15; i++)
        {
            var tokens = random.Next(20, 2000);
            model.Observe(tokens, 0.002 + (0.0001 * tokens));
        }

        Assert.Null(model.OverheadTokens); // not enough calls yet
        for (var i = 0; i < 50; i++)
        {
            var tokens = random.Next(20, 2000);
            model.Observe(tokens, 0.002 + (0.0001 * tokens));
        }

        Assert.Equal(20, model.OverheadTokens!.Value, 6);
    }

    [Fact]
    public void Calls_of_one_size_cannot_separate_overhead_from_tokens()
    {
        var model = new CallCostModel();
        for (var i = 0; i < 40; i++)
        {
            model.Observe(640, 0.05);
        }

        Assert.Null(model.OverheadTokens);
    }
}
