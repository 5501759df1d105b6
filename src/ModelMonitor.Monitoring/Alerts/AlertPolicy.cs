namespace ModelMonitor.Monitoring.Alerts;

/// <summary>When an alert fires, resolves and may fire again.</summary>
public sealed record AlertPolicy
{
    /// <summary>Consecutive breaching evaluations before an alert fires.</summary>
    public int ConsecutiveBreaches { get; init; } = 1;

    /// <summary>Consecutive clean evaluations before a firing alert resolves.</summary>
    public int ConsecutiveClean { get; init; } = 1;

    /// <summary>After an alert of a key resolves, a new one of that key waits this long before it fires.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many past alerts are kept for /alerts and the report.</summary>
    public int History { get; init; } = 100;
}
