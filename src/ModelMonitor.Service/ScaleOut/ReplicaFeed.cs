using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Where this replica's restore ends and its tail of the other replicas' records begins, so that
/// no record is applied twice or missed: the restore reads the store up to the last settled
/// position when it starts; the tail continues after that position.
/// </summary>
internal sealed class ReplicaFeed
{
    private readonly TaskCompletionSource<TailPosition?> start = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The position the tail starts after; null when the restore failed, and the tail starts at the end of the store once it can read it.</summary>
    public Task<TailPosition?> Start => start.Task;

    /// <summary>
    /// What the restore reads: with the database, the settled records up to now, whose end the
    /// tail then starts after, and every record this writer id ever wrote (the tail leaves those out).
    /// </summary>
    public IAuditSource ForRestore(IAuditSource source, string writerId)
    {
        if (source is not PostgresAuditSource database)
        {
            start.TrySetResult(TailPosition.Start);
            return source;
        }

        var position = database.LastPosition();
        start.TrySetResult(position);
        return database.Through(position, writerId);
    }

    /// <summary>The restore failed: the tail starts from the end of the store.</summary>
    public void RestoreFailed() => start.TrySetResult(null);
}
