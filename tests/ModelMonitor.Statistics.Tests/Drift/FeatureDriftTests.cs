using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Statistics.Tests.Drift;

public sealed class FeatureDriftTests
{
    private static readonly DriftThresholds Defaults = new();

    private static double[] Normal(int n, int seed, double shift)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() + random.NextDouble() + random.NextDouble() + shift).ToArray();
    }

    [Fact]
    public void A_huge_window_with_a_trivial_shift_is_significant_but_stable()
    {
        var result = FeatureDrift.Decide([FeatureDrift.Numeric("x", Normal(400_000, 1, 0), Normal(400_000, 2, 0.01), Defaults)], Defaults)[0];
        Assert.True(result.AdjustedPValue < 1e-6, "the shift is real");
        Assert.True(result.EffectValue < Defaults.NormedWasserstein, "but tiny");
        Assert.Equal(DriftVerdict.Stable, result.Verdict);
    }

    [Fact]
    public void A_large_shift_is_drift()
    {
        var result = FeatureDrift.Decide([FeatureDrift.Numeric("x", Normal(2000, 1, 0), Normal(2000, 2, 0.5), Defaults)], Defaults)[0];
        Assert.Equal(DriftVerdict.Drift, result.Verdict);
    }

    [Fact]
    public void A_large_effect_on_too_few_values_to_be_significant_is_stable()
    {
        var result = FeatureDrift.Decide([FeatureDrift.Numeric("x", [1, 2, 3], [1.5, 2.5, 3.5], Defaults)], Defaults)[0];
        Assert.True(result.EffectValue >= Defaults.NormedWasserstein);
        Assert.Equal(DriftVerdict.Stable, result.Verdict);
    }

    [Fact]
    public void Psi_between_warning_and_drift_with_small_other_effects_is_a_warning()
    {
        var thresholds = Defaults with { JensenShannon = 0.9 };
        var reference = new Dictionary<string, long> { ["a"] = 50_000, ["b"] = 50_000 };
        var current = new Dictionary<string, long> { ["a"] = 67_000, ["b"] = 33_000 };
        var result = FeatureDrift.Decide([FeatureDrift.Categorical("c", reference, current, thresholds)], thresholds)[0];
        var psi = result.Tests.First(t => t.Test == "psi").Statistic;
        Assert.InRange(psi, thresholds.PsiWarning, thresholds.PsiDrift);
        Assert.Equal(DriftVerdict.Warning, result.Verdict);
    }

    [Fact]
    public void P_values_are_corrected_across_the_family()
    {
        var features = Enumerable.Range(0, 4).Select(i => FeatureDrift.Numeric($"x{i}", Normal(300, i, 0), Normal(300, 10 + i, 0.05 * i), Defaults)).ToArray();
        var decided = FeatureDrift.Decide(features, Defaults with { Correction = Correction.Bonferroni });
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Min(1, features[i].PValue * 4), decided[i].AdjustedPValue, 1e-15);
        }
    }

    [Fact]
    public void A_frozen_reference_gives_exactly_what_the_raw_reference_gives()
    {
        var reference = Normal(5000, 3, 0);
        var current = Normal(700, 4, 0.2);
        var frozen = FrozenNumericReference.Create("x", reference, Defaults.Bins);
        var raw = FeatureDrift.Numeric("x", reference, current, Defaults);
        var fromFrozen = FeatureDrift.Numeric("x", frozen, current, Defaults);
        Assert.Equal(raw.Tests.Select(t => (t.Test, t.Statistic, t.PValue)), fromFrozen.Tests.Select(t => (t.Test, t.Statistic, t.PValue)));
        Assert.Equal((raw.ReferenceCount, raw.CurrentCount, raw.EffectValue), (fromFrozen.ReferenceCount, fromFrozen.CurrentCount, fromFrozen.EffectValue));
        Assert.Equal(reference.Order(), frozen.Sorted.ToArray());
    }
}
