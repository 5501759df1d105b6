using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.EstimationCheck;

/// <summary>One way of fitting the estimator, compared side by side in the report.</summary>
internal sealed record Variant(string Name, EstimationOptions Options, bool Uncalibrated = false)
{
    public static IReadOnlyList<Variant> All { get; } =
    [
        new("default (winning label, Platt below 1,000, NannyML check)", EstimationOptions.Default),
        new("one-vs-rest (NannyML's binary map on P(POSITIVE))", new EstimationOptions { Strategy = ClassCalibrationStrategy.OneVsRest }),
        new("winning label, isotonic forced", new EstimationOptions { Calibration = new CalibrationOptions { Method = CalibrationChoice.Isotonic, RequireImprovement = false } }),
        new("winning label, Platt forced (no check)", new EstimationOptions { Calibration = new CalibrationOptions { Method = CalibrationChoice.Platt, RequireImprovement = false } }),
        new("no calibration (raw scores)", EstimationOptions.Default, Uncalibrated: true),
    ];

    public PerformanceEstimator Fit(IReadOnlyList<string> labels, LabelledSet set)
    {
        var fitted = PerformanceEstimator.Fit(labels, set.Probabilities, set.Predicted, set.Truth, Options);
        return Uncalibrated
            ? PerformanceEstimator.FromState(fitted.State with { Calibration = fitted.State.Calibration with { Maps = [CalibrationMap.Identity] } })
            : fitted;
    }
}
