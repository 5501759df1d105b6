using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Statistics.Tests.Drift;

public class SignalGroupsTests
{
    [Fact]
    public void Correlated_columns_are_linked_by_single_linkage_and_independent_ones_stand_alone()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 500).Select(_ => random.NextDouble()).ToArray();
        var y = x.Select(v => (2 * v) + (0.01 * random.NextDouble())).ToArray();
        var z = x.Select(v => -Math.Exp(v)).ToArray();
        var w = Enumerable.Range(0, 500).Select(_ => random.NextDouble()).ToArray();
        var constant = new double[500];
        var groups = SignalGroups.Derive(["x", "y", "z", "w", "c"], [x, y, z, w, constant], 0.7);
        Assert.Equal(3, groups.Count);
        Assert.Equal(["x", "y", "z"], groups[0]);
        Assert.Equal(["w"], groups[1]);
        Assert.Equal(["c"], groups[2]);
    }

    [Fact]
    public void A_group_enters_the_family_once_with_its_smallest_p_value_times_its_size()
    {
        static FeatureDriftResult Feature(string name, double p) => new(name, FeatureKind.Numeric, 1000, 1000, [new("ks", 0.5, p, null, null), new("psi", 0.5, null, null, 0.25)], p, p, "psi", 0.5, DriftVerdict.Stable);
        var thresholds = new DriftThresholds { Correction = Correction.Bonferroni };
        FeatureDriftResult[] features = [Feature("a", 0.01), Feature("b", 0.02), Feature("c", 0.03), Feature("d", 0.04)];

        // Alone, four features: Bonferroni multiplies by 4. Grouped {a, b, c} and {d}: the family has two members.
        var grouped = SignalGroups.Decide(features, [0, 0, 0, 1], thresholds);
        Assert.Equal(0.06, grouped[0].AdjustedPValue, 12);
        Assert.Equal(0.06, grouped[2].AdjustedPValue, 12);
        Assert.Equal(0.08, grouped[3].AdjustedPValue, 12);
        var alone = FeatureDrift.Decide(features, thresholds);
        Assert.Equal(0.04, alone[0].AdjustedPValue, 12);
    }
}
