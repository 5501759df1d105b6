using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>
/// One window's estimate against what happened: the realized values are null where the texts
/// have no true label (banking77). The baseline is the naive estimate that ignores the window: the
/// calibration half's own realized value. <see cref="Drift"/> is the drift monitor's verdict on the
/// same window without labels, with the features it found drifting.
/// </summary>
internal sealed record WindowOutcome(
    MetricEstimate Accuracy,
    double? RealizedAccuracy,
    double BaselineAccuracy,
    MetricEstimate F1Macro,
    double? RealizedF1Macro,
    double BaselineF1Macro,
    Severity Drift,
    string Diagnosis,
    IReadOnlyList<string> DriftedFeatures);
