namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// A fitted map from a model score in [0, 1] to a calibrated probability. It holds everything needed
/// to apply it again (breakpoints for isotonic, slope and intercept for Platt), so it can be saved
/// with a reference and reused after a restart. Plain data: System.Text.Json round-trips it.
/// </summary>
public sealed record CalibrationMap
{
    /// <summary>Which map this is.</summary>
    public required CalibrationMethod Method { get; init; }

    /// <summary>Isotonic: the increasing scores at the breakpoints (scikit-learn's <c>X_thresholds_</c>). Empty otherwise.</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = [];

    /// <summary>Isotonic: the calibrated probability at each breakpoint (<c>y_thresholds_</c>). Empty otherwise.</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>Platt: A in 1 / (1 + exp(A·score + B)); negative when higher scores mean more often right.</summary>
    public double Slope { get; init; }

    /// <summary>Platt: B in 1 / (1 + exp(A·score + B)).</summary>
    public double Intercept { get; init; }

    /// <summary>How many labelled scores the map was fitted on (0 for identity).</summary>
    public long SampleCount { get; init; }

    public static CalibrationMap Identity { get; } = new() { Method = CalibrationMethod.Identity };

    /// <summary>The calibrated probability of <paramref name="score"/>.</summary>
    public double Apply(double score)
    {
        if (double.IsNaN(score))
        {
            throw new StatisticsInputException("A calibration map cannot be applied to NaN.");
        }

        return Method switch
        {
            CalibrationMethod.Identity => score,
            CalibrationMethod.Platt => PlattScaling.Sigmoid(Slope, Intercept, score),
            CalibrationMethod.Isotonic => IsotonicRegression.Interpolate(Thresholds, Values, score),
            _ => throw new StatisticsInputException($"Unknown calibration method {Method}."),
        };
    }

    /// <summary>
    /// Throws unless the map can be applied: for one read back from disk, where a hand edit or a
    /// truncated file must fail loudly instead of giving wrong probabilities.
    /// </summary>
    public void Validate()
    {
        switch (Method)
        {
            case CalibrationMethod.Identity:
                return;
            case CalibrationMethod.Platt:
                if (!double.IsFinite(Slope) || !double.IsFinite(Intercept))
                {
                    throw new StatisticsInputException("A Platt calibration map needs a finite slope and intercept.");
                }

                return;
            case CalibrationMethod.Isotonic:
                if (Thresholds.Count == 0 || Thresholds.Count != Values.Count)
                {
                    throw new StatisticsInputException($"An isotonic calibration map needs as many values as thresholds, at least one; got {Thresholds.Count} and {Values.Count}.");
                }

                for (var i = 0; i < Thresholds.Count; i++)
                {
                    if (!double.IsFinite(Thresholds[i]) || !double.IsFinite(Values[i]) || Values[i] < 0 || Values[i] > 1)
                    {
                        throw new StatisticsInputException($"Isotonic breakpoint {i} is not a finite score with a probability in [0, 1].");
                    }

                    if (i > 0 && (Thresholds[i] <= Thresholds[i - 1] || Values[i] < Values[i - 1]))
                    {
                        throw new StatisticsInputException($"Isotonic breakpoint {i} breaks the order: thresholds must increase strictly and values must not decrease.");
                    }
                }

                return;
            default:
                throw new StatisticsInputException($"Unknown calibration method {Method}.");
        }
    }
}
