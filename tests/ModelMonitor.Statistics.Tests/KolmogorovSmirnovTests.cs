using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void Statistic_and_p_value_match_scipy_ks_2samp_auto_on_every_generated_case()
    {
        var failures = new List<string>();
        var cases = GoldenSamples.Cases("ks").ToArray();
        Assert.True(cases.Length >= 100);
        foreach (var c in cases)
        {
            var (a, b) = GoldenSamples.Pair(c);
            var result = KolmogorovSmirnov.TwoSample(a, b);
            Check(failures, GoldenSamples.Describe(c), c.GetProperty("statistic").GetDouble(), c.GetProperty("pvalue").GetDouble(), result);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Length} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public void Explicit_small_samples_with_ties_and_constants_match_scipy()
    {
        var failures = new List<string>();
        foreach (var c in GoldenSamples.Cases("ks_explicit"))
        {
            var result = KolmogorovSmirnov.TwoSample(GoldenSamples.Doubles(c.GetProperty("a")), GoldenSamples.Doubles(c.GetProperty("b")));
            Check(failures, c.ToString(), c.GetProperty("statistic").GetDouble(), c.GetProperty("pvalue").GetDouble(), result);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Golden_cases_exercise_both_methods_and_underflow()
    {
        var cases = GoldenSamples.Cases("ks").Select(c => (N: Math.Max(c.GetProperty("n1").GetInt32(), c.GetProperty("n2").GetInt32()), P: c.GetProperty("pvalue").GetDouble())).ToArray();
        Assert.Contains(cases, c => c.N <= KolmogorovSmirnov.MaxExactSize);
        Assert.Contains(cases, c => c.N > KolmogorovSmirnov.MaxExactSize);
        Assert.Contains(cases, c => c.P == 0);
        Assert.Contains(cases, c => c.P is > 0 and < 1e-10);
    }

    [Fact]
    public void Method_is_exact_up_to_ten_thousand_and_asymptotic_above()
    {
        var small = Enumerable.Range(0, 10_000).Select(i => i / 7.0).ToArray();
        var large = Enumerable.Range(0, 10_001).Select(i => i / 7.0).ToArray();
        Assert.Equal(KsMethod.Exact, KolmogorovSmirnov.TwoSample(small, small).Method);
        Assert.Equal(KsMethod.Asymptotic, KolmogorovSmirnov.TwoSample(large, small).Method);
    }

    [Fact]
    public void Identical_samples_have_statistic_zero_and_p_one()
    {
        double[] a = [3, 1, 2, 2, 5];
        var result = KolmogorovSmirnov.TwoSample(a, a);
        Assert.Equal(0, result.Statistic);
        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void Argument_order_does_not_change_the_two_sided_result()
    {
        double[] a = [0.1, 0.4, 0.4, 0.9, 1.3];
        double[] b = [0.2, 0.5, 0.7, 1.1, 1.2, 1.8, 2.0];
        Assert.Equal(KolmogorovSmirnov.TwoSample(a, b), KolmogorovSmirnov.TwoSample(b, a));
    }

    private static void Check(List<string> failures, string name, double statistic, double pValue, KsResult result)
    {
        if (!Tolerance.Close(statistic, result.Statistic, Tolerance.Statistic))
        {
            failures.Add(name + " " + Tolerance.Report("D", statistic, result.Statistic));
        }

        if (!Tolerance.Close(pValue, result.PValue, Tolerance.PValue, Tolerance.Underflow))
        {
            failures.Add(name + $" [{result.Method}] " + Tolerance.Report("p", pValue, result.PValue));
        }
    }
}
