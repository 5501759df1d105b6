using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class PopulationStabilityTests
{
    [Fact]
    public void Numeric_psi_bins_and_jensen_shannon_match_the_numpy_reference_definition()
    {
        var failures = new List<string>();
        var cases = GoldenSamples.Cases("psi_numeric").ToArray();
        Assert.True(cases.Length > 100);
        foreach (var c in cases)
        {
            var (a, b) = GoldenSamples.Pair(c);
            var bins = c.GetProperty("bins").GetInt32();
            var result = PopulationStability.Numeric(a, b, bins, c.GetProperty("epsilon").GetDouble());
            var name = GoldenSamples.Describe(c) + $" bins={bins}";
            if (!GoldenSamples.Doubles(c.GetProperty("edges")).SequenceEqual(result.Edges))
            {
                failures.Add(name + " edges differ");
                continue;
            }

            Assert.Equal(GoldenSamples.Doubles(c.GetProperty("reference_counts")), result.ReferenceCounts);
            Assert.Equal(GoldenSamples.Doubles(c.GetProperty("current_counts")), result.CurrentCounts);
            var psi = c.GetProperty("psi").GetDouble();
            if (!Tolerance.Close(psi, result.Psi, Tolerance.Statistic))
            {
                failures.Add(name + " " + Tolerance.Report("psi", psi, result.Psi));
            }

            var js = c.GetProperty("jensenshannon").GetDouble();
            var actualJs = JensenShannon.Distance([.. result.ReferenceCounts], [.. result.CurrentCounts]);
            if (!Tolerance.Close(js, actualJs, Tolerance.Statistic))
            {
                failures.Add(name + " " + Tolerance.Report("js", js, actualJs));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public void Categorical_psi_and_jensen_shannon_over_counts_match_the_reference()
    {
        foreach (var c in GoldenSamples.Cases("psi_categorical"))
        {
            var expected = c.GetProperty("psi").GetDouble();
            var actual = PopulationStability.FromCounts(GoldenSamples.Doubles(c.GetProperty("reference")), GoldenSamples.Doubles(c.GetProperty("current")), c.GetProperty("epsilon").GetDouble());
            Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic), Tolerance.Report("psi", expected, actual));
        }

        foreach (var c in GoldenSamples.Cases("jensenshannon_counts"))
        {
            var expected = c.GetProperty("distance").GetDouble();
            var actual = JensenShannon.Distance(GoldenSamples.Doubles(c.GetProperty("p")), GoldenSamples.Doubles(c.GetProperty("q")));
            Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic), Tolerance.Report("js", expected, actual));
        }
    }

    [Fact]
    public void Categorical_psi_covers_the_union_of_categories()
    {
        var reference = new Dictionary<string, long> { ["a"] = 50, ["b"] = 50 };
        var current = new Dictionary<string, long> { ["b"] = 50, ["c"] = 50 };
        var result = PopulationStability.Categorical(reference, current);
        Assert.Equal(3, result.ReferenceCounts.Count);
        var expected = ((1e-4 - 0.5) * Math.Log(1e-4 / 0.5)) + ((0.5 - 1e-4) * Math.Log(0.5 / 1e-4));
        Assert.Equal(expected, result.Psi, 1e-12);
    }

    [Fact]
    public void Values_outside_the_reference_range_fall_into_the_end_bins()
    {
        var reference = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var result = PopulationStability.Numeric(reference, [-1000, 1000, 1000], bins: 4);
        Assert.Equal(1, result.CurrentCounts[0]);
        Assert.Equal(2, result.CurrentCounts[^1]);
        Assert.Equal(3, result.CurrentCounts.Sum());
    }

    [Fact]
    public void A_constant_reference_gives_two_bins_and_a_defined_psi()
    {
        var result = PopulationStability.Numeric([5, 5, 5, 5], [5, 6]);
        Assert.Equal([5.0], result.Edges);
        Assert.Equal([4.0, 0.0], result.ReferenceCounts);
        Assert.True(double.IsFinite(result.Psi) && result.Psi > 0);
    }

    [Fact]
    public void The_epsilon_is_configurable_and_changes_empty_bins_only()
    {
        var low = PopulationStability.FromCounts([10, 0], [5, 5], 1e-4);
        var high = PopulationStability.FromCounts([10, 0], [5, 5], 1e-2);
        Assert.NotEqual(low, high);
        Assert.Equal(PopulationStability.FromCounts([6, 4], [5, 5], 1e-4), PopulationStability.FromCounts([6, 4], [5, 5], 1e-2));
    }
}

public sealed class QuantileBinsTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(17, 5)]
    [InlineData(1000, 10)]
    [InlineData(100_000, 10)]
    [InlineData(100_000, 20)]
    public void Selection_gives_the_same_edges_as_sorting(int size, int bins)
    {
        var random = new Random(size * 31 + bins);
        foreach (var distinct in new[] { 3, 50, int.MaxValue })
        {
            var values = Enumerable.Range(0, size).Select(_ => distinct == int.MaxValue ? random.NextDouble() : random.Next(distinct) / 4.0).ToArray();
            var sorted = values.Order().ToArray();
            Assert.Equal(QuantileBins.FromSortedReference(sorted, bins).Edges, QuantileBins.FromReference(values, bins).Edges);
        }
    }
}
