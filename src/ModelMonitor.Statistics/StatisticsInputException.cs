namespace ModelMonitor.Statistics;

/// <summary>Input a statistic cannot be computed on: an empty sample, NaN or infinity, mismatched lengths.</summary>
public sealed class StatisticsInputException : ArgumentException
{
    public StatisticsInputException()
    {
    }

    public StatisticsInputException(string message)
        : base(message)
    {
    }

    public StatisticsInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
