using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Where this replica's restore ends and its tail of the other replicas' records begins, so that
/// no record is applied twice or missed: the restore reads the store up to the last position
/// committed when it starts; the tail continues after that position.
/// </summary>
internal sealed class ReplicaFeed
{
    /// <summary>The restore could not read the database: the tail starts at the end once it can.</summary>
    public const long FromTheEnd = -1;

    private readonly TaskCompletionSource<long> start = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The position the tail starts after.</summary>
    public Task<long> Start => start.Task;

    /// <summary>What the restore reads: with the database, the records up to now, whose end the tail then starts after.</summary>
    public IAuditSource ForRestore(IAuditSource source)
    {
        if (source is not PostgresAuditSource database)
        {
            start.TrySetResult(0);
            return source;
        }

        var position = database.LastPosition();
        start.TrySetResult(position);
        return database.Through(position);
    }

    /// <summary>The restore failed: the tail starts from the end of the store.</summary>
    public void RestoreFailed() => start.TrySetResult(FromTheEnd);
}
