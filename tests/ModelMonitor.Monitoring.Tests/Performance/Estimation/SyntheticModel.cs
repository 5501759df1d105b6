namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation;

/// <summary>One labelled prediction of a simulated model.</summary>
internal sealed record SimulatedPrediction(double[] Probabilities, int Predicted, int Truth);

/// <summary>
/// Seeded simulated classifiers whose true calibration is known. <c>distortion</c> maps the true
/// probability of being right to the score the model reports: identity for a perfectly calibrated
/// model, something pushing towards 1 for an overconfident one.
/// </summary>
internal static class SyntheticModel
{
    /// <summary>A binary model: right with probability c, c spread over [0.5, 1]; the reported winning score is distortion(c).</summary>
    public static SimulatedPrediction[] Binary(int count, Random random, Func<double, double>? distortion = null)
    {
        var predictions = new SimulatedPrediction[count];
        for (var i = 0; i < count; i++)
        {
            var c = 0.5 + (0.5 * Math.Sqrt(random.NextDouble()));
            var score = distortion?.Invoke(c) ?? c;
            var predicted = random.Next(2);
            var truth = random.NextDouble() < c ? predicted : 1 - predicted;
            double[] probabilities = predicted == 1 ? [1 - score, score] : [score, 1 - score];
            predictions[i] = new SimulatedPrediction(probabilities, predicted, truth);
        }

        return predictions;
    }

    /// <summary>A perfectly calibrated model over <paramref name="labels"/> labels: the true label is drawn from the very probabilities it reports.</summary>
    public static SimulatedPrediction[] Multiclass(int count, int labels, Random random)
    {
        var predictions = new SimulatedPrediction[count];
        for (var i = 0; i < count; i++)
        {
            var raw = new double[labels];
            for (var k = 0; k < labels; k++)
            {
                raw[k] = Math.Pow(random.NextDouble(), 3);
            }

            var total = raw.Sum();
            var probabilities = raw.Select(v => v / total).ToArray();
            var predicted = Array.IndexOf(probabilities, probabilities.Max());
            var u = random.NextDouble();
            var truth = 0;
            for (var cumulative = probabilities[0]; u > cumulative && truth < labels - 1; cumulative += probabilities[++truth])
            {
            }

            predictions[i] = new SimulatedPrediction(probabilities, predicted, truth);
        }

        return predictions;
    }

    public static IReadOnlyList<IReadOnlyList<double>> Probabilities(SimulatedPrediction[] predictions) => [.. predictions.Select(p => p.Probabilities)];

    public static int[] Predicted(SimulatedPrediction[] predictions) => [.. predictions.Select(p => p.Predicted)];

    public static int[] Truth(SimulatedPrediction[] predictions) => [.. predictions.Select(p => p.Truth)];
}
