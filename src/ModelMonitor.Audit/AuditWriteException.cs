namespace ModelMonitor.Audit;

/// <summary>The audit store could not store records (disk full, permissions, a broken path).</summary>
public sealed class AuditWriteException : Exception
{
    public AuditWriteException()
    {
    }

    public AuditWriteException(string message)
        : base(message)
    {
    }

    public AuditWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
