namespace ModelMonitor.Statistics;

/// <summary>Mean and standard deviation computed as numpy computes them.</summary>
public static class Descriptive
{
    public static double Mean(ReadOnlySpan<double> values) => NumpySum.Sum(values) / values.Length;

    /// <summary>Population standard deviation (ddof 0), as <c>np.std</c>.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        var mean = Mean(values);
        var squares = new NumpySum.Accumulator();
        foreach (var value in values)
        {
            var deviation = value - mean;
            squares.Add(deviation * deviation);
        }

        return Math.Sqrt(squares.Total / values.Length);
    }
}
