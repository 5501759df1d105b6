namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Turns a model's probability vector into a calibrated one (see <see cref="ClassCalibrationStrategy"/>).
/// Plain data, like <see cref="CalibrationMap"/>: saved with a reference, it calibrates the same way after a restart.
/// </summary>
public sealed record ClassProbabilityCalibration
{
    public required ClassCalibrationStrategy Strategy { get; init; }

    public required int LabelCount { get; init; }

    /// <summary>One map (<see cref="ClassCalibrationStrategy.WinningLabel"/>) or one per label, in label order (<see cref="ClassCalibrationStrategy.OneVsRest"/>).</summary>
    public required IReadOnlyList<CalibrationMap> Maps { get; init; }

    /// <summary>The calibrated probability of each label for a prediction of <paramref name="predicted"/> with these raw probabilities.</summary>
    public double[] Calibrate(IReadOnlyList<double> probabilities, int predicted)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Count != LabelCount || (uint)predicted >= (uint)LabelCount)
        {
            throw new StatisticsInputException($"Expected {LabelCount} probabilities and a predicted label in 0..{LabelCount - 1}; got {probabilities.Count} and {predicted}.");
        }

        var calibrated = new double[LabelCount];
        if (Strategy == ClassCalibrationStrategy.WinningLabel)
        {
            var winner = Maps[0].Apply(probabilities[predicted]);
            var rest = 1 - probabilities[predicted];
            for (var k = 0; k < LabelCount; k++)
            {
                calibrated[k] = k == predicted ? winner
                    : rest > 0 ? (1 - winner) * probabilities[k] / rest
                    : (1 - winner) / (LabelCount - 1);
            }

            return calibrated;
        }

        var sum = 0.0;
        for (var k = 0; k < LabelCount; k++)
        {
            calibrated[k] = Maps[k].Apply(probabilities[k]);
            sum += calibrated[k];
        }

        for (var k = 0; k < LabelCount; k++)
        {
            calibrated[k] = sum != 0 ? calibrated[k] / sum : 1.0 / LabelCount;
        }

        return calibrated;
    }

    /// <summary>Throws unless the calibration can be applied (for one read back from disk).</summary>
    public void Validate()
    {
        if (LabelCount < 2)
        {
            throw new StatisticsInputException($"A class calibration needs at least two labels; got {LabelCount}.");
        }

        var expected = Strategy switch
        {
            ClassCalibrationStrategy.WinningLabel => 1,
            ClassCalibrationStrategy.OneVsRest => LabelCount,
            _ => throw new StatisticsInputException($"Unknown class calibration strategy {Strategy}."),
        };
        if (Maps is null || Maps.Count != expected)
        {
            throw new StatisticsInputException($"{Strategy} calibration of {LabelCount} labels needs {expected} maps; got {Maps?.Count ?? 0}.");
        }

        foreach (var map in Maps)
        {
            map.Validate();
        }
    }
}
