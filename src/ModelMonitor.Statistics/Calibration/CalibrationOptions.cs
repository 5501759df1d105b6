namespace ModelMonitor.Statistics.Calibration;

/// <summary>Which method to fit; <see cref="Auto"/> chooses by the size of the labelled set.</summary>
public enum CalibrationChoice
{
    /// <summary>Platt below <see cref="CalibrationOptions.IsotonicMinimumSamples"/> labelled scores, isotonic from there on.</summary>
    Auto,

    /// <summary>Always isotonic regression.</summary>
    Isotonic,

    /// <summary>Always Platt scaling.</summary>
    Platt,
}

/// <summary>How a calibration map is chosen and judged. Every default is a constant here and nowhere else.</summary>
public sealed record CalibrationOptions
{
    /// <summary>
    /// scikit-learn's user guide: isotonic regression "is more prone to overfitting, especially on
    /// small datasets", and it advises against it with "too few calibration samples (&lt;&lt; 1000)".
    /// </summary>
    public const int DefaultIsotonicMinimumSamples = 1000;

    /// <summary>NannyML's <c>needs_calibration</c>: 10 random splits, each holding out 10%.</summary>
    public const int DefaultValidationSplits = 10;

    public const double DefaultValidationFraction = 0.1;

    public const int DefaultValidationSeed = 42;

    public static CalibrationOptions Default { get; } = new();

    public CalibrationChoice Method { get; init; } = CalibrationChoice.Auto;

    /// <summary>With <see cref="CalibrationChoice.Auto"/>: the smallest labelled set fitted by isotonic regression.</summary>
    public int IsotonicMinimumSamples { get; init; } = DefaultIsotonicMinimumSamples;

    /// <summary>Bins of the reported expected calibration error (equal width).</summary>
    public int EceBins { get; init; } = ExpectedCalibrationError.DefaultBins;

    /// <summary>
    /// NannyML's rule: calibrate only when held-out predictions show calibration lowers the
    /// calibration error; otherwise keep the scores as they are (identity map).
    /// </summary>
    public bool RequireImprovement { get; init; } = true;

    public int ValidationSplits { get; init; } = DefaultValidationSplits;

    public double ValidationFraction { get; init; } = DefaultValidationFraction;

    public int ValidationSeed { get; init; } = DefaultValidationSeed;

    /// <summary>Throws unless every setting is usable.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            throw new StatisticsInputException($"Unknown calibration method {Method}.");
        }

        if (IsotonicMinimumSamples < 1)
        {
            throw new StatisticsInputException($"IsotonicMinimumSamples must be at least 1; got {IsotonicMinimumSamples}.");
        }

        if (EceBins < 1)
        {
            throw new StatisticsInputException($"EceBins must be at least 1; got {EceBins}.");
        }

        if (ValidationSplits < 1)
        {
            throw new StatisticsInputException($"ValidationSplits must be at least 1; got {ValidationSplits}.");
        }

        if (ValidationFraction is <= 0 or >= 1)
        {
            throw new StatisticsInputException($"ValidationFraction must lie strictly between 0 and 1; got {ValidationFraction}.");
        }
    }
}
