namespace ModelMonitor.Statistics.Calibration;

/// <summary>How a score is mapped to a calibrated probability.</summary>
public enum CalibrationMethod
{
    /// <summary>No calibration: the score is its own probability (calibration was not needed or not possible).</summary>
    Identity,

    /// <summary>Isotonic regression (pool-adjacent-violators), interpolated linearly, clipped outside the fitted range.</summary>
    Isotonic,

    /// <summary>Platt scaling: a sigmoid 1 / (1 + exp(A·score + B)).</summary>
    Platt,
}
