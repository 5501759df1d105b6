namespace ModelMonitor.Service.Options;

/// <summary>Replicas sharing one PostgreSQL audit store (section <c>ScaleOut</c>; used only with Audit:Store=Postgres).</summary>
public sealed class ScaleOutOptions
{
    public const string Section = "ScaleOut";

    /// <summary>
    /// The most time between a leader's death and another replica leading: replicas try the
    /// leader lock, and the leader checks it still holds it, every third of this.
    /// </summary>
    public int LeaderTakeoverSeconds { get; set; } = 15;

    /// <summary>How often a replica reads the other replicas' new records (predictions, feedback, evaluations, alerts) into its monitor.</summary>
    public int TailIntervalMs { get; set; } = 500;

    /// <summary>Most records read per tail.</summary>
    public int TailBatchRecords { get; set; } = 5000;

    internal TimeSpan PollInterval => TimeSpan.FromSeconds(LeaderTakeoverSeconds / 3.0);
}
