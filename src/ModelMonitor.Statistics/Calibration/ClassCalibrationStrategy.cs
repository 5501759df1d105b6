namespace ModelMonitor.Statistics.Calibration;

/// <summary>What is calibrated to turn a model's label probabilities into calibrated ones.</summary>
public enum ClassCalibrationStrategy
{
    /// <summary>
    /// One map for the winning label's probability against "the prediction was right". The winner
    /// gets the calibrated probability; the rest is shared among the other labels in proportion to
    /// their raw probabilities. The default for two labels.
    /// </summary>
    WinningLabel,

    /// <summary>
    /// NannyML's multiclass calibration: one map per label, its probability against "this is the
    /// true label", then each prediction's calibrated probabilities divided by their sum (uniform
    /// when they sum to 0). The default for more than two labels.
    /// </summary>
    OneVsRest,
}
