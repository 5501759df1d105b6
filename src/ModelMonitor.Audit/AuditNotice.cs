namespace ModelMonitor.Audit;

public enum AuditNoticeLevel
{
    Information,
    Warning,
    Error,
}

/// <summary>Something the store wants logged: a recovered torn line, a retention run, a write failure.</summary>
public readonly record struct AuditNotice(AuditNoticeLevel Level, string Message, Exception? Exception = null);
