using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>
/// Performance before the labels arrive (NannyML's CBPE): fitted once on labelled predictions (the
/// calibration maps and the sampling-error components), then estimates the accuracy, precision,
/// recall and F1 of any window of unlabelled predictions from the model's own probabilities, each
/// with its interval, and checks an estimate against the realized values once labels come in.
/// Immutable and thread-safe once built.
/// </summary>
public sealed class PerformanceEstimator
{
    private PerformanceEstimator(PerformanceEstimatorState state) => State = state;

    public PerformanceEstimatorState State { get; }

    public IReadOnlyList<string> Labels => State.Labels;

    /// <summary>Fits on labelled predictions: each one's raw probabilities, the label it chose, and its true label.</summary>
    public static PerformanceEstimator Fit(
        IReadOnlyList<string> labels,
        IReadOnlyList<IReadOnlyList<double>> probabilities,
        ReadOnlySpan<int> predicted,
        ReadOnlySpan<int> truth,
        EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        options ??= EstimationOptions.Default;
        options.Validate();
        if (probabilities.Count > 0 && probabilities[0].Count != labels.Count)
        {
            throw new StatisticsInputException($"The model has {labels.Count} labels but the first prediction has {probabilities[0].Count} probabilities.");
        }

        var fit = ClassCalibrationFitter.Fit(probabilities, predicted, truth, options.Strategy, options.Calibration);
        var quality = new CalibrationQuality(
            fit.SampleCount,
            options.Calibration.EceBins,
            fit.WinningEceBefore,
            fit.WinningEceAfter,
            [.. fit.MapFits.Select(m => new MapQuality(m.Map.Method.ToString().ToLowerInvariant(), m.Reason, m.HeldOutEceBefore, m.HeldOutEceAfter))]);
        return new PerformanceEstimator(new PerformanceEstimatorState
        {
            Labels = [.. labels],
            Calibration = fit.Calibration,
            Errors = SamplingErrorComponents.Fit(truth, predicted, labels.Count),
            Quality = quality,
            Confidence = options.Confidence,
        });
    }

    /// <summary>Rebuilds an estimator from saved state, after checking it.</summary>
    public static PerformanceEstimator FromState(PerformanceEstimatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        return new PerformanceEstimator(state);
    }

    /// <summary>One prediction's calibrated probability per label.</summary>
    public double[] Calibrate(IReadOnlyList<double> probabilities, int predicted) => State.Calibration.Calibrate(probabilities, predicted);

    /// <summary>Estimates a window from each prediction's chosen label and raw probabilities.</summary>
    public PerformanceEstimate Estimate(ReadOnlySpan<int> predicted, IReadOnlyList<IReadOnlyList<double>> probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (predicted.Length != probabilities.Count)
        {
            throw new StatisticsInputException($"{predicted.Length} predicted labels but {probabilities.Count} probability vectors.");
        }

        ProbabilityVectors.Check(probabilities, predicted, Labels.Count, requireSumOne: false);
        var calibrated = new double[probabilities.Count][];
        for (var i = 0; i < calibrated.Length; i++)
        {
            calibrated[i] = State.Calibration.Calibrate(probabilities[i], predicted[i]);
        }

        return CbpeEstimator.Estimate(predicted, calibrated, State.Errors, State.Confidence);
    }

    /// <summary>
    /// The estimate of these predictions set against their true labels: realized metrics and whether
    /// each lies in its interval. Pass the labelled predictions only; they are estimated here.
    /// </summary>
    public EstimateCheck Check(ReadOnlySpan<int> predicted, IReadOnlyList<IReadOnlyList<double>> probabilities, ReadOnlySpan<int> truth) =>
        RealizedComparison.Compare(Estimate(predicted, probabilities), truth, predicted);
}
