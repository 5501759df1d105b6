using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The monitor's state as readers see it: immutable, made by the single writer after each change and
/// swapped in whole, so a reader never sees a reference from one moment and alerts from another.
/// </summary>
internal sealed record MonitorSnapshot(
    ReferenceProfile? Reference,
    ReferenceStatus Status,
    DriftEvaluation? Latest,
    PerformanceBaseline Baseline,
    IReadOnlyList<AlertRecord> ActiveAlerts,
    IReadOnlyList<AlertRecord> RecentAlerts,
    int WindowCount,
    int ScoresCollected,
    int ScoresNeeded,
    Calibration? Calibration)
{
    /// <summary>
    /// <see cref="Latest"/> as the API shows it, when it came from an evaluation record (another
    /// replica's, or this one's before a restart) rather than from an evaluation run here.
    /// </summary>
    public ModelMonitor.Service.Contracts.EvaluationView? LatestView { get; init; }
}
