namespace ModelMonitor.Statistics;

/// <summary>How a family of p-values is corrected for multiple comparisons.</summary>
public enum Correction
{
    None,
    Bonferroni,
    BenjaminiHochberg,
}

/// <summary>Adjusted p-values for a family of tests.</summary>
public static class MultipleTesting
{
    public static double[] Adjust(ReadOnlySpan<double> pValues, Correction correction) => correction switch
    {
        Correction.None => pValues.ToArray(),
        Correction.Bonferroni => Bonferroni(pValues),
        Correction.BenjaminiHochberg => BenjaminiHochberg(pValues),
        _ => throw new ArgumentOutOfRangeException(nameof(correction)),
    };

    /// <summary>min(1, p·m): controls the family-wise error rate.</summary>
    public static double[] Bonferroni(ReadOnlySpan<double> pValues)
    {
        var adjusted = new double[pValues.Length];
        for (var i = 0; i < adjusted.Length; i++)
        {
            adjusted[i] = Math.Min(1.0, pValues[i] * pValues.Length);
        }

        return adjusted;
    }

    /// <summary>
    /// Benjamini-Hochberg step-up adjusted p-values (controls the false discovery rate):
    /// p_(i)·m/i made monotone from the largest down, capped at 1.
    /// </summary>
    public static double[] BenjaminiHochberg(ReadOnlySpan<double> pValues)
    {
        var m = pValues.Length;
        var values = pValues.ToArray();
        var order = Enumerable.Range(0, m).OrderBy(i => values[i]).ToArray(); // stable, as mergesort
        var adjusted = new double[m];
        var running = double.PositiveInfinity;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = order[rank - 1];
            running = Math.Min(running, values[index] * m / rank);
            adjusted[index] = Math.Min(running, 1.0);
        }

        return adjusted;
    }
}
