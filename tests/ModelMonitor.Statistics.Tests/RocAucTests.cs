using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class RocAucTests
{
    [Fact]
    public void Area_matches_sklearn_roc_auc_score_with_ties()
    {
        var cases = 0;
        foreach (var c in GoldenSamples.Cases("roc_auc"))
        {
            var scores = GoldenSamples.Doubles(c.GetProperty("scores"));
            var outcomes = GoldenSamples.Doubles(c.GetProperty("outcomes")).Select(v => v > 0).ToArray();
            var expected = c.GetProperty("auc").GetDouble();
            var actual = RocAuc.Compute(scores, outcomes);
            Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic), Tolerance.Report($"auc n={scores.Length}", expected, actual));
            cases++;
        }

        Assert.Equal(8, cases);
    }

    [Fact]
    public void One_outcome_only_is_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => RocAuc.Compute([0.1, 0.2], [true, true]));
    }
}
