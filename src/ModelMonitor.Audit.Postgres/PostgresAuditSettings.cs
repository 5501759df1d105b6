namespace ModelMonitor.Audit.Postgres;

/// <summary>Settings of the PostgreSQL audit store.</summary>
public sealed record PostgresAuditSettings
{
    /// <summary>An Npgsql connection string (ConnectionStrings:Audit).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The name of this process's hash chain. Each writer keeps its own chain; two live processes
    /// must not share one (the second is refused until the first lets go of it).
    /// </summary>
    public required string WriterId { get; init; }

    /// <summary>Longest a record waits for companions before its group is committed; 0 commits as soon as the writer is free.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Most records copied and committed in one transaction.</summary>
    public int MaxBatchRecords { get; init; } = 4096;

    /// <summary>Records waiting for the writer before appenders wait too (backpressure).</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>How long a success vouches for the database before <c>CheckWritable</c> asks it again.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fields added to every record, such as environment and service.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
