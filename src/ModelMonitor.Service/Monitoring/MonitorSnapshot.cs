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
    Calibration? Calibration);
