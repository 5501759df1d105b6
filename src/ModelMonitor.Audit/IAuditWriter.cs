namespace ModelMonitor.Audit;

/// <summary>
/// A store's single group-commit writer: the JSON Lines <see cref="AuditLog"/>, or a database
/// store. Appenders queue entries and learn their ids once the entries are committed.
/// </summary>
public interface IAuditWriter
{
    /// <summary>Audit records committed since start.</summary>
    long RecordsWritten { get; }

    /// <summary>Bytes of records committed since start.</summary>
    long BytesWritten { get; }

    /// <summary>Why the last commit failed, until one succeeds (or <see cref="CheckWritable"/> probes the store healthy).</summary>
    string? LastFailure { get; }

    /// <summary>Fires after each committed group with its record count and commit time.</summary>
    event Action<int, TimeSpan>? Committed;

    /// <summary>Queues entries and completes with their record ids once they are committed.</summary>
    Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Null when a write would succeed now; otherwise why the store cannot write.</summary>
    string? CheckWritable();

    /// <summary>The single writer: runs until cancelled, then commits what was queued.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}
