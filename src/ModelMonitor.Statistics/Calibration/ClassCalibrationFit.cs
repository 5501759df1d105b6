namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// A fitted class calibration, each of its maps' fits, and the calibration error of the winning
/// label's probability on the labelled set (equal-width bins) before and after calibration.
/// </summary>
public sealed record ClassCalibrationFit(
    ClassProbabilityCalibration Calibration,
    IReadOnlyList<CalibrationFit> MapFits,
    long SampleCount,
    double WinningEceBefore,
    double WinningEceAfter);
