using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>How the performance estimator is fitted and how wide its intervals are.</summary>
public sealed record EstimationOptions
{
    public static EstimationOptions Default { get; } = new();

    /// <summary>How each calibration map is chosen (Platt below 1,000 labelled predictions, isotonic above) and judged.</summary>
    public CalibrationOptions Calibration { get; init; } = CalibrationOptions.Default;

    /// <summary>Null: winning label for two labels, one-vs-rest for more (<see cref="ClassCalibrationFitter.DefaultStrategy"/>).</summary>
    public ClassCalibrationStrategy? Strategy { get; init; }

    /// <summary>The intervals' confidence: 0.95 is ±1.96 standard errors; NannyML's plots use ±3 (0.9973).</summary>
    public double Confidence { get; init; } = CbpeEstimator.DefaultConfidence;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Calibration);
        Calibration.Validate();
        if (Strategy is { } strategy && !Enum.IsDefined(strategy))
        {
            throw new StatisticsInputException($"Unknown calibration strategy {strategy}.");
        }

        if (Confidence is <= 0 or >= 1)
        {
            throw new StatisticsInputException($"The confidence must lie strictly between 0 and 1; got {Confidence}.");
        }
    }
}
