namespace ModelMonitor.Service.Alerts;

/// <summary>A delivery attempt that ModelMonitor itself stopped: a deadline passed, or going on would have been unsafe.</summary>
internal sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException()
    {
    }

    public AlertDeliveryException(string message)
        : base(message)
    {
    }

    public AlertDeliveryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
