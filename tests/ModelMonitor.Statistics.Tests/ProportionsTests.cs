namespace ModelMonitor.Statistics.Tests;

public class ProportionsTests
{
    [Fact]
    public void Wilson_interval_matches_statsmodels()
    {
        // statsmodels.stats.proportion.proportion_confint(19, 30, alpha=0.05, method="wilson")
        var interval = Proportions.Wilson(19, 30, 0.95);
        Assert.Equal(0.4551, interval.Low, 3);
        Assert.Equal(0.7813, interval.High, 3);
        Assert.Equal(0, Proportions.Wilson(0, 10, 0.95).Low, 12);
        Assert.Equal(1, Proportions.Wilson(10, 10, 0.95).High, 12);
    }

    [Fact]
    public void Binomial_lower_tail_matches_scipy()
    {
        // scipy.stats.binom.cdf(19, 30, 0.81) and binom.cdf(19, 30, 0.76)
        Assert.Equal(0.0178515, Proportions.BinomialLowerTail(19, 30, 0.81), 6);
        Assert.Equal(0.0832616, Proportions.BinomialLowerTail(19, 30, 0.76), 6);
        Assert.Equal(1, Proportions.BinomialLowerTail(30, 30, 0.9));
    }

    [Fact]
    public void Impossible_counts_are_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => Proportions.Wilson(5, 0, 0.95));
        Assert.Throws<StatisticsInputException>(() => Proportions.BinomialLowerTail(11, 10, 0.5));
    }
}
