using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>
/// One window's performance estimated from its calibrated probabilities (CBPE), what it rests on
/// (the labelled set the estimator was calibrated on, and how well), and, for the window's labelled
/// predictions, the estimate set against the realized values.
/// </summary>
public sealed record EstimatedPerformance(PerformanceEstimate Estimate, EstimateCheck? Realized, string CalibratedOn, CalibrationQuality Calibration)
{
    /// <summary>The model's label names, by index.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// Estimates the window's predictions that carry their probabilities; null when fewer than
    /// <paramref name="minimum"/> do. Labelled ones (truth ≥ 0) are also checked against their labels.
    /// </summary>
    public static EstimatedPerformance? For(PerformanceEstimator estimator, string calibratedOn, IReadOnlyList<TextFeatureVector> vectors, IReadOnlyList<int> truth, int minimum)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(truth);
        var labels = estimator.Labels.Count;
        var (predicted, probabilities, known) = (new List<int>(), new List<IReadOnlyList<double>>(), new List<int>());
        for (var i = 0; i < vectors.Count; i++)
        {
            if (ProbabilitiesOf(vectors[i], labels) is { } p)
            {
                predicted.Add(vectors[i].PredictedLabel);
                probabilities.Add(p);
                known.Add(i < truth.Count ? truth[i] : -1);
            }
        }

        if (predicted.Count < Math.Max(1, minimum))
        {
            return null;
        }

        var estimate = estimator.Estimate([.. predicted], probabilities);
        var labelled = Enumerable.Range(0, predicted.Count).Where(i => known[i] >= 0).ToArray();
        var realized = labelled.Length == 0
            ? null
            : estimator.Check([.. labelled.Select(i => predicted[i])], [.. labelled.Select(i => probabilities[i])], [.. labelled.Select(i => known[i])]);
        return new EstimatedPerformance(estimate, realized, calibratedOn, estimator.State.Quality) { Labels = estimator.Labels };
    }

    /// <summary>
    /// A drop beyond the critical threshold that the interval makes significant: the whole interval
    /// lies below baseline minus the allowed points (so the drop is significant at the interval's
    /// own level, one-sided). Only while no measured performance judges the window: once labels
    /// arrive, the realized value decides. Graded high, not critical: critical needs a measured
    /// drop, and an estimate is only as good as its calibration (on another domain, or with a
    /// baseline inflated by training data, it can be wrong); labels that confirm it escalate it.
    /// </summary>
    public Breach? Judge(PerformanceBaseline baseline, DriftPolicy policy, bool judgedOnLabels)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(policy);
        if (judgedOnLabels)
        {
            return null;
        }

        var allowed = policy.CriticalPerformanceDropPoints / 100;
        var evidence = new List<string>();
        var metrics = new List<string>();
        void Check(string metric, MetricEstimate value, double? reference)
        {
            if (reference is { } b && value.High < b - allowed)
            {
                metrics.Add(metric);
                evidence.Add($"estimated {metric} {value.Value:F3} [{value.Low:F3}, {value.High:F3}] ({Estimate.Confidence:P0} interval) is below the baseline {b:F3} minus {policy.CriticalPerformanceDropPoints:G} points");
            }
        }

        Check("accuracy", Estimate.Accuracy, baseline.Accuracy);
        Check("f1_macro", Estimate.Macro.F1, baseline.F1);
        if (metrics.Count == 0)
        {
            return null;
        }

        evidence.Add($"an estimate, not a measurement: CBPE from the calibrated confidence of {Estimate.Count} unlabelled predictions, calibrated on {Calibration.SampleCount} labelled texts of {CalibratedOn} (ECE {Calibration.EceBefore:F3} before, {Calibration.EceAfter:F3} after calibration); labels for these predictions replace it");
        var summary = $"Estimated {string.Join(" and ", metrics)} fell more than {policy.CriticalPerformanceDropPoints:G} points below the baseline (estimated accuracy {Estimate.Accuracy.Value:F3}, macro F1 {Estimate.Macro.F1.Value:F3}; no labels yet)";
        return new Breach(AlertTypes.Performance, Severity.High, summary, metrics, evidence) { Estimated = true };
    }

    /// <summary>A prediction's probability per label: kept with it, or, for two labels, rebuilt from its confidence.</summary>
    private static IReadOnlyList<double>? ProbabilitiesOf(TextFeatureVector vector, int labels) =>
        vector.Probabilities is { } p && p.Count == labels ? p
        : labels == 2 && vector.PredictedLabel is 0 or 1 ? (vector.PredictedLabel == 0 ? [vector.Confidence, 1 - vector.Confidence] : [1 - vector.Confidence, vector.Confidence])
        : null;
}
