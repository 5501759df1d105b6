namespace ModelMonitor.Monitoring.Reference;

/// <summary>A reference file that cannot be read as texts with optional labels; the message names the file and line.</summary>
public sealed class ReferenceFormatException : Exception
{
    public ReferenceFormatException()
    {
    }

    public ReferenceFormatException(string message)
        : base(message)
    {
    }

    public ReferenceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
