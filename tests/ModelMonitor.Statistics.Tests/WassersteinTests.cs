using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class WassersteinTests
{
    [Fact]
    public void Distance_matches_scipy_wasserstein_distance_on_every_generated_case()
    {
        var failures = new List<string>();
        foreach (var c in GoldenSamples.Cases("wasserstein"))
        {
            var (a, b) = GoldenSamples.Pair(c);
            var expected = c.GetProperty("distance").GetDouble();
            var actual = Wasserstein.Distance(a, b);
            if (!Tolerance.Close(expected, actual, Tolerance.Statistic))
            {
                failures.Add(GoldenSamples.Describe(c) + " " + Tolerance.Report("W", expected, actual));
            }

            var std = c.GetProperty("reference_std").GetDouble();
            if (!Tolerance.Close(std, Descriptive.StandardDeviation(a), Tolerance.Statistic))
            {
                failures.Add(GoldenSamples.Describe(c) + " " + Tolerance.Report("std", std, Descriptive.StandardDeviation(a)));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public void Explicit_samples_match_scipy()
    {
        foreach (var c in GoldenSamples.Cases("ks_explicit"))
        {
            var expected = c.GetProperty("wasserstein").GetDouble();
            var actual = Wasserstein.Distance(GoldenSamples.Doubles(c.GetProperty("a")), GoldenSamples.Doubles(c.GetProperty("b")));
            Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic), Tolerance.Report(c.ToString(), expected, actual));
        }
    }

    [Fact]
    public void Normed_distance_divides_by_the_reference_standard_deviation()
    {
        double[] reference = [1, 2, 3, 4];
        double[] current = [2, 3, 4, 5];
        Assert.Equal(1.0 / Math.Sqrt(1.25), Wasserstein.NormedDistance(reference, current), 1e-15);
    }

    [Fact]
    public void Normed_distance_from_a_constant_reference_is_zero_or_infinite()
    {
        Assert.Equal(0, Wasserstein.NormedDistance([2, 2, 2], [2, 2]));
        Assert.Equal(double.PositiveInfinity, Wasserstein.NormedDistance([2, 2, 2], [2, 3]));
    }
}
