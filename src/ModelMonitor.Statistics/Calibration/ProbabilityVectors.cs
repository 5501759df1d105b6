namespace ModelMonitor.Statistics.Calibration;

/// <summary>Checks probability vectors before calibration or estimation, naming the prediction at fault.</summary>
public static class ProbabilityVectors
{
    /// <summary>How far a calibrated vector's sum may stray from 1.</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>
    /// Throws unless every vector has <paramref name="labelCount"/> finite probabilities in [0, 1]
    /// (summing to 1 when <paramref name="requireSumOne"/>) and every predicted label is in range.
    /// </summary>
    public static void Check(IReadOnlyList<IReadOnlyList<double>> probabilities, ReadOnlySpan<int> predicted, int labelCount, bool requireSumOne)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (labelCount < 2)
        {
            throw new StatisticsInputException($"Probabilities need at least two labels; got {labelCount}.");
        }

        for (var i = 0; i < probabilities.Count; i++)
        {
            var vector = probabilities[i] ?? throw new StatisticsInputException($"Prediction {i} has no probabilities.");
            if (vector.Count != labelCount)
            {
                throw new StatisticsInputException($"Prediction {i} has {vector.Count} probabilities; expected {labelCount}.");
            }

            if ((uint)predicted[i] >= (uint)labelCount)
            {
                throw new StatisticsInputException($"Predicted label at position {i} is outside 0..{labelCount - 1}.");
            }

            var sum = 0.0;
            for (var k = 0; k < labelCount; k++)
            {
                var p = vector[k];
                if (!double.IsFinite(p) || p < 0 || p > 1)
                {
                    throw new StatisticsInputException($"Prediction {i}: probability {k} is {p}; only finite values in [0, 1] are allowed.");
                }

                sum += p;
            }

            if (requireSumOne && Math.Abs(sum - 1) > SumTolerance)
            {
                throw new StatisticsInputException($"Prediction {i}: probabilities sum to {sum}, not 1.");
            }
        }
    }
}
