namespace ModelMonitor.Statistics.Estimation;

/// <summary>
/// One label's sampling-error components, measured on the labelled reference as NannyML does: the
/// standard deviation of the observation-level metric and the fraction of predictions it is
/// measured over. The standard error in a window of n predictions is Std / √(n · Fraction).
/// </summary>
public sealed record LabelErrorComponents(
    double PrecisionStd,
    double PrecisionFraction,
    double RecallStd,
    double RecallFraction,
    double F1Std,
    double F1Fraction);

/// <summary>
/// What NannyML keeps from the labelled reference to give every estimate its sampling error
/// (<c>nannyml/sampling_error/binary_classification.py</c> for two labels, each label in turn taken
/// as the positive one; <c>multiclass_classification.py</c> for more):
/// <list type="bullet">
/// <item>accuracy: the standard deviation of "prediction right" (1/0);</item>
/// <item>precision of label k: the standard deviation over the predictions of k of "right" (1/0), over the fraction of predictions that are k;</item>
/// <item>recall of label k: the same over the predictions whose true label is k, over the fraction of true labels that are k;</item>
/// <item>F1 of label k: over the true positives (1), false negatives and false positives (0), over the fraction they make up;
/// for two labels NannyML's binary module scales the values by (TP + FP + FN) / (TP + (FP + FN) / 2) so that their mean is the F1;
/// its multiclass module does not, and neither do we for more than two labels.</item>
/// </list>
/// Standard deviations are population ones (numpy's <c>np.std</c>). A component with nothing to
/// measure (no prediction of k, say) is NaN with fraction 0: its standard error is infinite.
/// </summary>
public sealed record SamplingErrorComponents
{
    public required int LabelCount { get; init; }

    /// <summary>How many labelled predictions the components were measured on.</summary>
    public required long ReferenceCount { get; init; }

    public required double AccuracyStd { get; init; }

    /// <summary>One entry per label, in label order.</summary>
    public required IReadOnlyList<LabelErrorComponents> Labels { get; init; }

    /// <summary>Measures the components on labelled reference predictions.</summary>
    public static SamplingErrorComponents Fit(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int labelCount)
    {
        if (truth.Length != predicted.Length || truth.IsEmpty)
        {
            throw new StatisticsInputException($"Sampling errors need at least one labelled prediction and as many predictions as true labels; got {truth.Length} and {predicted.Length}.");
        }

        if (labelCount < 2)
        {
            throw new StatisticsInputException($"Sampling errors need at least two labels; got {labelCount}.");
        }

        var n = truth.Length;
        var confusion = new long[labelCount, labelCount];
        long correct = 0;
        for (var i = 0; i < n; i++)
        {
            if ((uint)truth[i] >= (uint)labelCount || (uint)predicted[i] >= (uint)labelCount)
            {
                throw new StatisticsInputException($"Label at position {i} is outside 0..{labelCount - 1}.");
            }

            confusion[truth[i], predicted[i]]++;
            correct += truth[i] == predicted[i] ? 1 : 0;
        }

        var labels = new LabelErrorComponents[labelCount];
        for (var k = 0; k < labelCount; k++)
        {
            long tp = confusion[k, k], predictedK = 0, trueK = 0;
            for (var j = 0; j < labelCount; j++)
            {
                predictedK += confusion[j, k];
                trueK += confusion[k, j];
            }

            long fp = predictedK - tp, fn = trueK - tp;
            var relevant = tp + fp + fn;
            var f1Scale = labelCount == 2 && relevant > 0 ? relevant / ((0.5 * (fn + fp)) + tp) : 1.0;
            labels[k] = new LabelErrorComponents(
                BernoulliStd(tp, predictedK),
                (double)predictedK / n,
                BernoulliStd(tp, trueK),
                (double)trueK / n,
                BernoulliStd(tp, relevant) * f1Scale,
                (double)relevant / n);
        }

        return new SamplingErrorComponents
        {
            LabelCount = labelCount,
            ReferenceCount = n,
            AccuracyStd = BernoulliStd(correct, n),
            Labels = labels,
        };
    }

    /// <summary>The standard error of accuracy in a window of <paramref name="count"/> predictions.</summary>
    public double AccuracyError(long count) => Standard(AccuracyStd, 1, count);

    public double PrecisionError(int label, long count) => Standard(Labels[label].PrecisionStd, Labels[label].PrecisionFraction, count);

    public double RecallError(int label, long count) => Standard(Labels[label].RecallStd, Labels[label].RecallFraction, count);

    public double F1Error(int label, long count) => Standard(Labels[label].F1Std, Labels[label].F1Fraction, count);

    /// <summary>Throws unless the components can be used (for ones read back from disk).</summary>
    public void Validate()
    {
        if (LabelCount < 2 || Labels is null || Labels.Count != LabelCount || ReferenceCount < 1)
        {
            throw new StatisticsInputException($"Sampling-error components need at least two labels, one entry per label and a reference count; got {LabelCount} labels, {Labels?.Count ?? 0} entries, count {ReferenceCount}.");
        }
    }

    /// <summary>NannyML's <c>_universal_sampling_error</c>: std / √(n · fraction); infinite when there was nothing to measure.</summary>
    private static double Standard(double std, double fraction, long count)
    {
        if (count < 1)
        {
            throw new StatisticsInputException($"A window needs at least one prediction; got {count}.");
        }

        return double.IsNaN(std) || fraction <= 0 ? double.PositiveInfinity : std / Math.Sqrt(count * fraction);
    }

    /// <summary>np.std of <paramref name="ones"/> ones among <paramref name="count"/> values; NaN for no values.</summary>
    private static double BernoulliStd(long ones, long count)
    {
        if (count == 0)
        {
            return double.NaN;
        }

        var mean = (double)ones / count;
        return Math.Sqrt(mean * (1 - mean));
    }
}
