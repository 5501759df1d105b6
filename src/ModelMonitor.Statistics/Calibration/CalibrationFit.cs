namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// A fitted map and how well the scores were calibrated before and after it. <see cref="EceBefore"/>
/// and <see cref="EceAfter"/> are measured on the labelled set the map was fitted on (so
/// <see cref="EceAfter"/> flatters isotonic maps); the held-out figures, when present, come from
/// the validation splits, each map fitted without the predictions it is judged on.
/// </summary>
public sealed record CalibrationFit(
    CalibrationMap Map,
    string Reason,
    long SampleCount,
    double EceBefore,
    double EceAfter,
    double? HeldOutEceBefore,
    double? HeldOutEceAfter)
{
    /// <summary>The held-out Brier score of the raw scores, which decides whether the map is kept; null without the check.</summary>
    public double? HeldOutBrierBefore { get; init; }

    /// <summary>The held-out Brier score of the calibrated scores.</summary>
    public double? HeldOutBrierAfter { get; init; }
}
