using MathNet.Numerics.Distributions;
using ModelMonitor.Statistics.Calibration;

namespace ModelMonitor.Statistics.Estimation;

/// <summary>
/// NannyML's confidence-based performance estimation (CBPE). With calibrated probabilities, a
/// prediction of label p is right with probability P(p) and its true label is t with probability
/// P(t), so the expected confusion matrix of a window is C[t, p] = Σ over predictions of p of P(t),
/// and the expected metrics follow from expected counts, label by label (one-vs-rest):
/// TP = Σ_{pred = k} P(k), FP = Σ_{pred = k} (1 − P(k)), FN = Σ_{pred ≠ k} P(k);
/// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = TP / (TP + (FP + FN) / 2), each 0 when
/// its denominator is 0; accuracy = Σ P(predicted) / n; macro = the plain mean over labels (NannyML's
/// multiclass estimate); weighted = the mean weighted by expected support Σ P(k) (our addition).
/// Sampling errors come from <see cref="SamplingErrorComponents"/>.
/// </summary>
public static class CbpeEstimator
{
    public const double DefaultConfidence = 0.95;

    /// <param name="predicted">The label each prediction chose.</param>
    /// <param name="calibrated">Each prediction's calibrated probability per label (summing to 1).</param>
    /// <param name="errors">The sampling-error components measured on the labelled reference.</param>
    /// <param name="confidence">The intervals' confidence: 0.95 gives ±1.96 standard errors; NannyML draws ±3 (0.9973).</param>
    public static PerformanceEstimate Estimate(ReadOnlySpan<int> predicted, IReadOnlyList<IReadOnlyList<double>> calibrated, SamplingErrorComponents errors, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(calibrated);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Validate();
        if (confidence is <= 0 or >= 1)
        {
            throw new StatisticsInputException($"The confidence must lie strictly between 0 and 1; got {confidence}.");
        }

        var n = calibrated.Count;
        if (n == 0 || predicted.Length != n)
        {
            throw new StatisticsInputException($"An estimate needs at least one prediction and one predicted label per probability vector; got {n} and {predicted.Length}.");
        }

        var k = errors.LabelCount;
        ProbabilityVectors.Check(calibrated, predicted, k, requireSumOne: true);

        var confusion = new Neumaier[k, k];
        var tp = new Neumaier[k];
        var fp = new Neumaier[k];
        var fn = new Neumaier[k];
        var support = new Neumaier[k];
        var right = new Neumaier();
        for (var i = 0; i < n; i++)
        {
            var vector = calibrated[i];
            var p = predicted[i];
            right.Add(vector[p]);
            for (var label = 0; label < k; label++)
            {
                confusion[label, p].Add(vector[label]);
                support[label].Add(vector[label]);
                if (label == p)
                {
                    tp[label].Add(vector[label]);
                    fp[label].Add(1 - vector[label]);
                }
                else
                {
                    fn[label].Add(vector[label]);
                }
            }
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var perLabel = new LabelEstimate[k];
        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var weights = new double[k];
        for (var label = 0; label < k; label++)
        {
            double t = tp[label].Total, f = fp[label].Total, m = fn[label].Total;
            precision[label] = Ratio(t, t + f);
            recall[label] = Ratio(t, t + m);
            f1[label] = Ratio(t, t + (0.5 * (f + m)));
            weights[label] = support[label].Total;
            perLabel[label] = new LabelEstimate(
                label,
                MetricEstimate.Create(precision[label], errors.PrecisionError(label, n), z),
                MetricEstimate.Create(recall[label], errors.RecallError(label, n), z),
                MetricEstimate.Create(f1[label], errors.F1Error(label, n), z),
                weights[label]);
        }

        var weightTotal = weights.Sum();
        var macro = new AveragedEstimate(
            Average(precision, null, 0, perLabel.Select(l => l.Precision.StandardError), z),
            Average(recall, null, 0, perLabel.Select(l => l.Recall.StandardError), z),
            Average(f1, null, 0, perLabel.Select(l => l.F1.StandardError), z));
        var weighted = new AveragedEstimate(
            Average(precision, weights, weightTotal, perLabel.Select(l => l.Precision.StandardError), z),
            Average(recall, weights, weightTotal, perLabel.Select(l => l.Recall.StandardError), z),
            Average(f1, weights, weightTotal, perLabel.Select(l => l.F1.StandardError), z));

        var matrix = new double[k][];
        for (var t = 0; t < k; t++)
        {
            matrix[t] = new double[k];
            for (var p = 0; p < k; p++)
            {
                matrix[t][p] = confusion[t, p].Total;
            }
        }

        return new PerformanceEstimate(
            n,
            confidence,
            MetricEstimate.Create(right.Total / n, errors.AccuracyError(n), z),
            perLabel,
            macro,
            weighted,
            matrix);
    }

    private static double Ratio(double numerator, double denominator) => denominator != 0 ? numerator / denominator : 0;

    /// <summary>
    /// A mean of per-label values and its standard error √(Σ wₖ² SEₖ²) with weights summing to 1:
    /// for the macro mean (wₖ = 1/K) this is NannyML's √(Σ SEₖ²) / K, which treats the labels'
    /// errors as independent; the weighted mean extends it with the expected-support weights.
    /// </summary>
    private static MetricEstimate Average(double[] values, double[]? weights, double weightTotal, IEnumerable<double> errors, double z)
    {
        var error = errors.ToArray();
        var total = weights is null ? values.Length : weightTotal;
        double sum = 0, variance = 0;
        for (var k = 0; k < values.Length; k++)
        {
            var w = weights is null ? 1.0 : weights[k];
            if (w == 0)
            {
                continue; // a label with no expected support adds nothing, even with an infinite error
            }

            sum += w * values[k];
            variance += w * w * error[k] * error[k];
        }

        return total > 0 ? MetricEstimate.Create(sum / total, Math.Sqrt(variance) / total, z) : MetricEstimate.Create(0, double.PositiveInfinity, z);
    }

    /// <summary>Compensated summation: the window's sums stay exact to the last bit or two whatever their order.</summary>
    private struct Neumaier
    {
        private double sum;
        private double compensation;

        public readonly double Total => sum + compensation;

        public void Add(double value)
        {
            var t = sum + value;
            compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
            sum = t;
        }
    }
}
