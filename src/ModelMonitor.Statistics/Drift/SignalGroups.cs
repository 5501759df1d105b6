using MathNet.Numerics.Statistics;

namespace ModelMonitor.Statistics.Drift;

/// <summary>
/// Features that measure the same thing, found on the reference: two numeric features are linked when
/// |Spearman rho| or |Pearson r| reaches the threshold, and groups are the connected components of
/// those links (single linkage). Each group is one signal: it enters the multiple-testing family once
/// and counts once when severity is graded.
/// </summary>
public static class SignalGroups
{
    /// <summary>Groups of the given numeric columns (same length each), in the order of their first member; constant columns stand alone.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Derive(IReadOnlyList<string> names, IReadOnlyList<double[]> columns, double threshold)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(columns);
        if (names.Count != columns.Count)
        {
            throw new StatisticsInputException("One column per feature name.");
        }

        var parent = Enumerable.Range(0, names.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        for (var i = 0; i < names.Count; i++)
        {
            for (var j = i + 1; j < names.Count; j++)
            {
                if (Linked(columns[i], columns[j], threshold))
                {
                    parent[Find(j)] = Find(i);
                }
            }
        }

        return [.. Enumerable.Range(0, names.Count).GroupBy(Find).Select(g => (IReadOnlyList<string>)[.. g.Select(i => names[i])])];
    }

    /// <summary>Whether two columns are correlated at least as strongly as the threshold, by rank or linearly.</summary>
    public static bool Linked(double[] left, double[] right, double threshold)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Length < 3 || IsConstant(left) || IsConstant(right))
        {
            return false;
        }

        var spearman = Correlation.Spearman(left, right);
        var pearson = Correlation.Pearson(left, right);
        return Math.Abs(spearman) >= threshold || Math.Abs(pearson) >= threshold;
    }

    /// <summary>
    /// Corrects p-values with each group counted once: a group's p-value is the smallest of its
    /// members' times the number of members (Bonferroni within the group), the family's correction
    /// runs over the groups, and every member gets its group's adjusted p-value. A feature then
    /// drifts when that adjusted p-value is below alpha and its own effect size reaches its threshold.
    /// </summary>
    public static IReadOnlyList<FeatureDriftResult> Decide(IReadOnlyList<FeatureDriftResult> features, IReadOnlyList<int> groupOf, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(groupOf);
        ArgumentNullException.ThrowIfNull(thresholds);
        var groups = groupOf.Distinct().ToArray();
        var groupP = groups.Select(g =>
        {
            var members = Enumerable.Range(0, features.Count).Where(i => groupOf[i] == g).ToArray();
            return Math.Min(1, members.Length * members.Min(i => features[i].PValue));
        }).ToArray();
        var adjusted = MultipleTesting.Adjust(groupP, thresholds.Correction);
        var byGroup = groups.Select((g, k) => (g, k)).ToDictionary(x => x.g, x => adjusted[x.k]);
        return FeatureDrift.DecideWith(features, [.. groupOf.Select(g => byGroup[g])], thresholds);
    }

    private static bool IsConstant(double[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] != values[0])
            {
                return false;
            }
        }

        return true;
    }
}
