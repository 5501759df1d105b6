using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class MultipleTestingTests
{
    [Fact]
    public void Bonferroni_and_benjamini_hochberg_match_the_reference()
    {
        foreach (var c in GoldenSamples.Cases("multiple_testing"))
        {
            var p = GoldenSamples.Doubles(c.GetProperty("pvalues"));
            Assert.Equal(GoldenSamples.Doubles(c.GetProperty("bonferroni")), MultipleTesting.Bonferroni(p));
            var expected = GoldenSamples.Doubles(c.GetProperty("benjamini_hochberg"));
            var actual = MultipleTesting.BenjaminiHochberg(p);
            for (var i = 0; i < p.Length; i++)
            {
                Assert.True(Tolerance.Close(expected[i], actual[i], Tolerance.Statistic), Tolerance.Report("bh", expected[i], actual[i]));
            }
        }
    }

    [Fact]
    public void Benjamini_hochberg_is_monotone_in_the_raw_p_values()
    {
        double[] p = [0.01, 0.04, 0.03, 0.2, 0.001];
        var adjusted = MultipleTesting.BenjaminiHochberg(p);
        var order = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ToArray();
        for (var i = 1; i < order.Length; i++)
        {
            Assert.True(adjusted[order[i]] >= adjusted[order[i - 1]]);
        }

        Assert.Equal(0.005, adjusted[4], 1e-15);
    }
}
