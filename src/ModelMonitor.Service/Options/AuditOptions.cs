using ModelMonitor.Audit;

namespace ModelMonitor.Service.Options;

/// <summary>The audit trail (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public bool Enabled { get; set; } = true;

    /// <summary>Where segments live; relative paths resolve against the working directory.</summary>
    public string Directory { get; set; } = "data/audit";

    /// <summary><c>Fsync</c> (default): /predict answers after its records are on disk. <c>Flush</c>: in the OS. <c>None</c>: in our buffer.</summary>
    public Durability Durability { get; set; } = Durability.Fsync;

    /// <summary>Longest a record waits for companions before its batch is committed; 0 commits as soon as the writer is free.</summary>
    public int CommitIntervalMs { get; set; }

    public int MaxBatchRecords { get; set; } = 4096;

    public int QueueCapacity { get; set; } = 65_536;

    public int MaxSegmentMegabytes { get; set; } = 64;

    /// <summary>Days of segments to keep; 0 keeps everything.</summary>
    public int RetentionDays { get; set; }

    /// <summary>Store the SHA-256 and length of each text instead of the text.</summary>
    public bool Redact { get; set; }

    /// <summary>Serve predictions even when the store cannot record them (logged loudly); the default refuses with 503.</summary>
    public bool FailOpen { get; set; }

    /// <summary>How often the head file (tail-deletion check) is rewritten, in milliseconds; also written at shutdown.</summary>
    public int HeadIntervalMs { get; set; } = 200;

    /// <summary>
    /// A rejected or failed request's path and problem text are cut to this many characters in its
    /// record (with the original length noted), so a long path cannot inflate the audit.
    /// </summary>
    public int MaxRecordedChars { get; set; } = 512;

    /// <summary>
    /// Identical warnings (same status, method, path and problem) after the first within this many
    /// seconds are counted into one <c>warning_summary</c> record instead of one record each; 0 writes each.
    /// </summary>
    public int WarningAggregationSeconds { get; set; } = 60;

    /// <summary>Fields added to every record, such as environment and service.</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    internal AuditSettings ToSettings() => new()
    {
        Directory = Path.GetFullPath(Directory),
        Durability = Durability,
        CommitInterval = TimeSpan.FromMilliseconds(CommitIntervalMs),
        MaxBatchRecords = MaxBatchRecords,
        QueueCapacity = QueueCapacity,
        MaxSegmentBytes = MaxSegmentMegabytes * 1024L * 1024,
        RetentionDays = RetentionDays,
        HeadInterval = TimeSpan.FromMilliseconds(HeadIntervalMs),
        Tags = Tags,
    };
}
