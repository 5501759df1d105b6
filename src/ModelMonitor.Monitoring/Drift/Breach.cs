namespace ModelMonitor.Monitoring.Drift;

/// <summary>
/// One finding of an evaluation: its alert type, severity, a one-line summary, the features
/// involved, and a line per statistic that crossed its threshold.
/// </summary>
public sealed record Breach(string Type, Severity Severity, string Summary, IReadOnlyList<string> Features, IReadOnlyList<string> Evidence)
{
    /// <summary>The finding rests on an estimate (performance estimated from calibrated confidence before labels arrived), not on measured values.</summary>
    public bool Estimated { get; init; }
}
