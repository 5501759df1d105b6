namespace ModelMonitor.Statistics;

/// <summary>Aligns two category-count maps onto one ordered list of categories (the union, ordinal order).</summary>
public static class Categories
{
    public static (double[] Reference, double[] Current, string[] Names) Align(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var names = reference.Keys.Union(current.Keys).Order(StringComparer.Ordinal).ToArray();
        var left = names.Select(n => (double)reference.GetValueOrDefault(n)).ToArray();
        var right = names.Select(n => (double)current.GetValueOrDefault(n)).ToArray();
        return (left, right, names);
    }

    public static Dictionary<string, long> Count(IEnumerable<string> values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts;
    }
}
