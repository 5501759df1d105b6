namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>One calibration map's method, why it was chosen, and its held-out check.</summary>
public sealed record MapQuality(string Method, string Reason, double? HeldOutEceBefore, double? HeldOutEceAfter);

/// <summary>
/// How well the winning label's probability was calibrated on the labelled set, before and after
/// calibration (expected calibration error, equal-width bins), and how each map was chosen.
/// The "after" figure is measured on the same set the maps were fitted on.
/// </summary>
public sealed record CalibrationQuality(long SampleCount, int Bins, double EceBefore, double EceAfter, IReadOnlyList<MapQuality> Maps);
