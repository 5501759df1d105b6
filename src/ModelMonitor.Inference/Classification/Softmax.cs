namespace ModelMonitor.Inference.Classification;

/// <summary>Numerically stable softmax: shifts by the maximum so no exponent overflows.</summary>
public static class Softmax
{
    public static double[] Compute(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            return [];
        }

        double max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var probabilities = new double[logits.Length];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] /= sum;
        }

        return probabilities;
    }
}
