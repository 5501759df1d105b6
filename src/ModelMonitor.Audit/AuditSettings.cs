namespace ModelMonitor.Audit;

/// <summary>How far a record must get before its writer is told it is stored.</summary>
public enum Durability
{
    /// <summary>Written and fsync'd: on disk, surviving a power cut.</summary>
    Fsync,

    /// <summary>Written and flushed to the operating system: survives a process crash.</summary>
    Flush,

    /// <summary>Handed to the writer's buffer: lost if the process dies before the next flush.</summary>
    None,
}

/// <summary>Settings of an audit store.</summary>
public sealed record AuditSettings
{
    public required string Directory { get; init; }

    public Durability Durability { get; init; } = Durability.Fsync;

    /// <summary>Longest a record waits for companions before its batch is committed; 0 commits as soon as the writer is free.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.Zero;

    /// <summary>Most records written and committed together.</summary>
    public int MaxBatchRecords { get; init; } = 4096;

    /// <summary>Records waiting for the writer before appenders wait too (backpressure).</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>A segment rotates once it reaches this size; it also rotates at each UTC midnight.</summary>
    public long MaxSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Segments whose UTC day is older than this many days are deleted; 0 keeps everything.</summary>
    public int RetentionDays { get; init; }

    /// <summary>
    /// How often the head file (last committed id and hash) is rewritten; it is also written at
    /// shutdown. Records committed since the last head write could be cut from the end unnoticed.
    /// </summary>
    public TimeSpan HeadInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Fields added to every record, such as environment and service.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Opens a segment for writing at its end; tests replace it to simulate a failing disk. Unbuffered
    /// (the log batches itself), and not in Append mode, so a failed write can be cut back.
    /// </summary>
    internal Func<string, Stream> OpenForAppend { get; init; } = path =>
        new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
}
