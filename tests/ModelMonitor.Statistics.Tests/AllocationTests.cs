namespace ModelMonitor.Statistics.Tests;

/// <summary>The hot loops allocate nothing per value: work on sorted input costs the same memory at any size.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Ks_and_wasserstein_on_sorted_samples_allocate_a_constant_amount()
    {
        var small = Sorted(20_000, 1);
        var large = Sorted(200_000, 2);
        var other = Sorted(200_000, 3);
        KolmogorovSmirnov.TwoSampleSorted(small, small);
        Wasserstein.DistanceSorted(small, small);

        var ks = Measure(() => KolmogorovSmirnov.TwoSampleSorted(large, other));
        var wSmall = Measure(() => Wasserstein.DistanceSorted(small, small));
        var wLarge = Measure(() => Wasserstein.DistanceSorted(large, large));
        Assert.True(ks < 1_000, $"KS on sorted input allocated {ks} bytes");
        Assert.True(wLarge <= wSmall + 1_000, $"Wasserstein allocated {wSmall} bytes for 2e4 values and {wLarge} for 2e5");
    }

    private static double[] Sorted(int n, int seed)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = random.NextDouble();
        }

        Array.Sort(values);
        return values;
    }

    private static long Measure(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
