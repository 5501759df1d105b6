using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>
/// Everything a fitted <see cref="PerformanceEstimator"/> needs, as plain data: save it with the
/// reference (and in the audit trail) and a restart estimates exactly as before.
/// Serialize it with <see cref="EstimationJsonContext"/>.
/// </summary>
public sealed record PerformanceEstimatorState
{
    public required IReadOnlyList<string> Labels { get; init; }

    public required ClassProbabilityCalibration Calibration { get; init; }

    public required SamplingErrorComponents Errors { get; init; }

    public required CalibrationQuality Quality { get; init; }

    public required double Confidence { get; init; }

    /// <summary>Throws unless the state is whole and consistent (for one read back from disk).</summary>
    public void Validate()
    {
        if (Labels is null || Calibration is null || Errors is null || Quality is null)
        {
            throw new StatisticsInputException("The estimator state lacks its labels, calibration, sampling errors or quality.");
        }

        Calibration.Validate();
        Errors.Validate();
        if (Labels.Count != Calibration.LabelCount || Labels.Count != Errors.LabelCount)
        {
            throw new StatisticsInputException($"The estimator state names {Labels.Count} labels but calibrates {Calibration.LabelCount} and has sampling errors for {Errors.LabelCount}.");
        }

        if (Confidence is <= 0 or >= 1)
        {
            throw new StatisticsInputException($"The estimator state's confidence must lie strictly between 0 and 1; got {Confidence}.");
        }
    }
}
