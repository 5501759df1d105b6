namespace ModelMonitor.Statistics;

/// <summary>Precision, recall and F1 for one class, with its support (true count).</summary>
public sealed record ClassScores(int Label, double Precision, double Recall, double F1, long Support);

/// <summary>An average of per-class scores.</summary>
public sealed record AveragedScores(double Precision, double Recall, double F1);

/// <summary>Everything <c>sklearn.metrics</c> reports for a labelled sample.</summary>
public sealed record ClassificationReport(
    double Accuracy,
    IReadOnlyList<ClassScores> PerClass,
    AveragedScores Macro,
    AveragedScores Weighted,
    long[,] Confusion,
    long Count);

/// <summary>
/// Classification metrics as scikit-learn computes them with <c>zero_division=0</c>: a precision or
/// recall whose denominator is 0 is 0, and so is an F1 whose precision and recall are both 0.
/// </summary>
public static class ClassificationMetrics
{
    public static ClassificationReport Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount)
    {
        if (truth.Length != predicted.Length)
        {
            throw new StatisticsInputException($"{truth.Length} true labels but {predicted.Length} predictions.");
        }

        if (truth.IsEmpty)
        {
            throw new StatisticsInputException("Classification metrics need at least one labelled prediction.");
        }

        if (labelCount < 1)
        {
            throw new StatisticsInputException("There must be at least one label.");
        }

        var confusion = new long[labelCount, labelCount];
        var correct = new double[truth.Length];
        for (var i = 0; i < truth.Length; i++)
        {
            if ((uint)truth[i] >= (uint)labelCount || (uint)predicted[i] >= (uint)labelCount)
            {
                throw new StatisticsInputException($"Label at position {i} is outside 0..{labelCount - 1}.");
            }

            confusion[truth[i], predicted[i]]++;
            correct[i] = truth[i] == predicted[i] ? 1 : 0;
        }

        var perClass = new ClassScores[labelCount];
        var precision = new double[labelCount];
        var recall = new double[labelCount];
        var f1 = new double[labelCount];
        var support = new double[labelCount];
        for (var c = 0; c < labelCount; c++)
        {
            long tp = confusion[c, c], predictedCount = 0, trueCount = 0;
            for (var k = 0; k < labelCount; k++)
            {
                predictedCount += confusion[k, c];
                trueCount += confusion[c, k];
            }

            precision[c] = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            recall[c] = trueCount == 0 ? 0 : (double)tp / trueCount;
            var denominator = precision[c] + recall[c];
            f1[c] = 2 * precision[c] * recall[c] / (denominator == 0 ? 1 : denominator);
            support[c] = trueCount;
            perClass[c] = new ClassScores(c, precision[c], recall[c], f1[c], trueCount);
        }

        var macro = new AveragedScores(Mean(precision), Mean(recall), Mean(f1));
        var supportTotal = NumpySum.Sum(support);
        var weighted = supportTotal == 0
            ? new AveragedScores(0, 0, 0)
            : new AveragedScores(WeightedMean(precision, support, supportTotal), WeightedMean(recall, support, supportTotal), WeightedMean(f1, support, supportTotal));
        return new ClassificationReport(Mean(correct), perClass, macro, weighted, confusion, truth.Length);
    }

    private static double Mean(ReadOnlySpan<double> values) => NumpySum.Sum(values) / values.Length;

    private static double WeightedMean(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, double weightTotal)
    {
        var products = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            products[i] = values[i] * weights[i];
        }

        return NumpySum.Sum(products) / weightTotal;
    }
}
