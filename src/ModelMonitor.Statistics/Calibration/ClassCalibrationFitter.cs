namespace ModelMonitor.Statistics.Calibration;

/// <summary>Fits a <see cref="ClassProbabilityCalibration"/> on labelled predictions.</summary>
public static class ClassCalibrationFitter
{
    /// <summary>The strategy used when none is given: winning label for two labels, one-vs-rest above.</summary>
    public static ClassCalibrationStrategy DefaultStrategy(int labelCount) =>
        labelCount <= 2 ? ClassCalibrationStrategy.WinningLabel : ClassCalibrationStrategy.OneVsRest;

    /// <param name="probabilities">Each prediction's raw probability per label.</param>
    /// <param name="predicted">The label each prediction chose (the model's argmax).</param>
    /// <param name="truth">The true label of each prediction.</param>
    /// <param name="strategy">Null for <see cref="DefaultStrategy"/>.</param>
    /// <param name="options">Null for <see cref="CalibrationOptions.Default"/>.</param>
    public static ClassCalibrationFit Fit(
        IReadOnlyList<IReadOnlyList<double>> probabilities,
        ReadOnlySpan<int> predicted,
        ReadOnlySpan<int> truth,
        ClassCalibrationStrategy? strategy = null,
        CalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        options ??= CalibrationOptions.Default;
        var n = probabilities.Count;
        if (n == 0 || predicted.Length != n || truth.Length != n)
        {
            throw new StatisticsInputException($"Calibration needs at least one prediction and as many predicted and true labels as probability vectors; got {n}, {predicted.Length} and {truth.Length}.");
        }

        var labelCount = probabilities[0].Count;
        ProbabilityVectors.Check(probabilities, predicted, labelCount, requireSumOne: false);
        for (var i = 0; i < n; i++)
        {
            if ((uint)truth[i] >= (uint)labelCount)
            {
                throw new StatisticsInputException($"True label at position {i} is outside 0..{labelCount - 1}.");
            }
        }

        var chosen = strategy ?? DefaultStrategy(labelCount);
        var fits = new List<CalibrationFit>();
        if (chosen == ClassCalibrationStrategy.WinningLabel)
        {
            var scores = new double[n];
            var correct = new bool[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = probabilities[i][predicted[i]];
                correct[i] = predicted[i] == truth[i];
            }

            fits.Add(CalibrationFitter.Fit(scores, correct, options));
        }
        else
        {
            for (var k = 0; k < labelCount; k++)
            {
                var scores = new double[n];
                var isLabel = new bool[n];
                for (var i = 0; i < n; i++)
                {
                    scores[i] = probabilities[i][k];
                    isLabel[i] = truth[i] == k;
                }

                fits.Add(CalibrationFitter.Fit(scores, isLabel, options));
            }
        }

        var calibration = new ClassProbabilityCalibration { Strategy = chosen, LabelCount = labelCount, Maps = [.. fits.Select(f => f.Map)] };
        var raw = new double[n];
        var calibrated = new double[n];
        var right = new bool[n];
        for (var i = 0; i < n; i++)
        {
            raw[i] = probabilities[i][predicted[i]];
            calibrated[i] = calibration.Calibrate(probabilities[i], predicted[i])[predicted[i]];
            right[i] = predicted[i] == truth[i];
        }

        return new ClassCalibrationFit(
            calibration,
            fits,
            n,
            ExpectedCalibrationError.EqualWidth(raw, right, options.EceBins),
            ExpectedCalibrationError.EqualWidth(calibrated, right, options.EceBins));
    }
}
