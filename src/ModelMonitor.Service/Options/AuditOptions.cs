using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;

namespace ModelMonitor.Service.Options;

/// <summary>The audit trail (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// <c>File</c> (default): JSON Lines segments in <see cref="Directory"/>, for one replica.
    /// <c>Postgres</c>: tables in the database of <c>ConnectionStrings:Audit</c>, shared by every replica.
    /// </summary>
    public AuditStoreKind Store { get; set; } = AuditStoreKind.File;

    /// <summary>
    /// The Npgsql connection string of the Postgres store. Read from <c>ConnectionStrings:Audit</c>
    /// (environment: <c>ConnectionStrings__Audit</c>), not from this section, so it can live with
    /// other secrets.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The name of this replica's hash chain in the Postgres store. Default: the machine name, which
    /// is the pod name on Kubernetes and the container id under Docker. Two live processes may not
    /// share one: the second cannot write (and, failing closed, is not ready) until the first stops.
    /// </summary>
    public string? WriterId { get; set; }

    /// <summary>How long a commit or a probe vouches for the Postgres store before readiness asks the database again, in milliseconds.</summary>
    public int ProbeIntervalMs { get; set; } = 5000;

    /// <summary>The writer id in force: <see cref="WriterId"/>, or the machine name.</summary>
    public string EffectiveWriterId => string.IsNullOrWhiteSpace(WriterId) ? Environment.MachineName : WriterId;

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

    internal PostgresAuditSettings ToPostgresSettings() => new()
    {
        ConnectionString = ConnectionString ?? string.Empty,
        WriterId = EffectiveWriterId,
        CommitInterval = TimeSpan.FromMilliseconds(CommitIntervalMs),
        MaxBatchRecords = MaxBatchRecords,
        QueueCapacity = QueueCapacity,
        ProbeInterval = TimeSpan.FromMilliseconds(ProbeIntervalMs),
        Tags = Tags,
    };

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
