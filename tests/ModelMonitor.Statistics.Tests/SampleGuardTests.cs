namespace ModelMonitor.Statistics.Tests;

public sealed class SampleGuardTests
{
    [Fact]
    public void Empty_sample_is_a_clear_error()
    {
        var error = Assert.Throws<StatisticsInputException>(() => KolmogorovSmirnov.TwoSample([], [1.0], "token_count"));
        Assert.Contains("token_count", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_values_are_rejected_naming_the_column(double bad, string word)
    {
        var error = Assert.Throws<StatisticsInputException>(() => Wasserstein.Distance([1, 2, 3], [1, bad], "confidence"));
        Assert.Contains("confidence", error.Message, StringComparison.Ordinal);
        Assert.Contains(word, error.Message, StringComparison.Ordinal);
        Assert.Contains("current", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_samples_have_defined_answers_in_every_test()
    {
        double[] constant = [4, 4, 4, 4];
        Assert.Equal(new KsResult(0, 1, KsMethod.Exact), KolmogorovSmirnov.TwoSample(constant, constant));
        Assert.Equal(0, Wasserstein.Distance(constant, constant));
        Assert.Equal(0, PopulationStability.Numeric(constant, constant).Psi);
        Assert.Equal(0, JensenShannon.Distance([4, 0], [4, 0]));
    }

    [Fact]
    public void Very_unequal_sizes_use_the_asymptotic_distribution_at_the_effective_size()
    {
        var large = Enumerable.Range(0, 50_000).Select(i => i / 50_000.0).ToArray();
        double[] tiny = [0.9, 0.95];
        var result = KolmogorovSmirnov.TwoSample(large, tiny);
        Assert.Equal(KsMethod.Asymptotic, result.Method);
        Assert.InRange(result.PValue, 0, 1);
    }
}
