namespace ModelMonitor.Service.Logging;

/// <summary>Log events of replicas sharing one PostgreSQL store (event ids 100-109).</summary>
internal static partial class ScaleOutLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Writer {WriterId} is now the monitor's leader: it runs evaluations and sends alert e-mail")]
    public static partial void BecameLeader(ILogger logger, string writerId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Writer {WriterId} is no longer the monitor's leader: {Reason}")]
    public static partial void LostLeadership(ILogger logger, string writerId, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The leader election cannot reach the audit database; retrying: {Reason}")]
    public static partial void ElectionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Tailing other replicas' records failed; retrying: {Reason}")]
    public static partial void TailFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Evaluation skipped: sequence number {Sequence} could not be claimed: {Reason}")]
    public static partial void SequenceNotClaimed(ILogger logger, long sequence, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "As the new leader, {Count} alert e-mail(s) the database holds undelivered are queued")]
    public static partial void UndeliveredTakenOver(ILogger logger, int count);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Another replica scored the reference file {Path} again; scoring it here too")]
    public static partial void ReferenceRescoring(ILogger logger, string path);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Adopted the {Source} reference of {Count} texts another replica made at {CreatedAt:O}")]
    public static partial void ReferenceAdopted(ILogger logger, string source, int count, DateTimeOffset createdAt);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Ignored another replica's {Source} reference: {Reason}")]
    public static partial void ReferenceIgnored(ILogger logger, string source, string reason);
}
