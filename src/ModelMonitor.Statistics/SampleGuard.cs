namespace ModelMonitor.Statistics;

/// <summary>Checks samples before any statistic runs, naming the column at fault.</summary>
public static class SampleGuard
{
    /// <summary>Throws unless the sample is non-empty and every value is finite.</summary>
    public static void RequireFinite(ReadOnlySpan<double> values, string column, string side)
    {
        if (values.IsEmpty)
        {
            throw new StatisticsInputException($"Column '{column}': the {side} sample is empty.");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                var what = double.IsNaN(values[i]) ? "NaN" : values[i] > 0 ? "+Infinity" : "-Infinity";
                throw new StatisticsInputException($"Column '{column}': the {side} sample holds {what} at position {i}; only finite numbers are allowed.");
            }
        }
    }
}
