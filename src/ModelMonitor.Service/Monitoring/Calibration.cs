using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using ModelMonitor.Statistics;

namespace ModelMonitor.Service.Monitoring;

/// <summary>A fitted performance estimator, the labelled set it was calibrated on, and a warning when that set looks like training data.</summary>
internal sealed record Calibration(PerformanceEstimator Estimator, string Source, string? Warning)
{
    /// <summary>The audit record that keeps the calibration map, so a restart with the same set and model reuses it.</summary>
    public AuditEntry Record(string modelSha256, DateTimeOffset at) => new(MonitoringAuditRecords.CalibrationKind, at, null, json =>
    {
        json.WriteString("source", Source);
        json.WriteString("model_sha256", modelSha256);
        if (Warning is not null)
        {
            json.WriteString("warning", Warning);
        }

        json.WritePropertyName("state");
        JsonSerializer.Serialize(json, Estimator.State, EstimationJsonContext.Default.PerformanceEstimatorState);
    });

    /// <summary>Reads a calibration record back; null when it is unreadable or its state does not validate.</summary>
    public static (Calibration Calibration, string ModelSha256)? Read(string recordJson)
    {
        try
        {
            using var document = JsonDocument.Parse(recordJson);
            var root = document.RootElement;
            var state = root.GetProperty("state").Deserialize(EstimationJsonContext.Default.PerformanceEstimatorState);
            return state is null ? null
                : (new Calibration(PerformanceEstimator.FromState(state), root.GetProperty("source").GetString()!, root.TryGetProperty("warning", out var w) ? w.GetString() : null), root.GetProperty("model_sha256").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or StatisticsInputException)
        {
            return null;
        }
    }

    /// <summary>
    /// Fits the estimator on a scored labelled set (the baseline set or the labelled reference);
    /// null, with a log line, when it is off or the set has too few labels the model knows.
    /// </summary>
    public static Calibration? Fit(ScoredReference scored, string source, DriftOptions options, ILogger logger)
    {
        if (!options.EstimatePerformance)
        {
            return null;
        }

        var labelled = Enumerable.Range(0, scored.Vectors.Count).Where(i => scored.Truth[i] >= 0 && scored.Vectors[i].Probabilities is not null).ToArray();
        if (labelled.Length < options.MinCalibrationLabels)
        {
            Log.CalibrationSkipped(logger, source, labelled.Length, options.MinCalibrationLabels);
            return null;
        }

        var predicted = labelled.Select(i => scored.Vectors[i].PredictedLabel).ToArray();
        var truth = labelled.Select(i => scored.Truth[i]).ToArray();
        PerformanceEstimator estimator;
        try
        {
            estimator = PerformanceEstimator.Fit(scored.Profile.Labels, [.. labelled.Select(i => scored.Vectors[i].Probabilities!)], predicted, truth, options.ToEstimationOptions());
        }
        catch (StatisticsInputException e)
        {
            Log.CalibrationFailed(logger, source, e.Message);
            return null;
        }

        // A model fits its training data: calibrated there, it looks surer than it is on new traffic.
        var accuracy = (double)predicted.Zip(truth).Count(p => p.First == p.Second) / predicted.Length;
        var warning = options.BaselineAccuracy is { } baseline && accuracy - baseline > options.TrainingDataGapPoints / 100
            ? $"the model scores {accuracy:F3} on {source}, more than {options.TrainingDataGapPoints:G} points above the configured baseline accuracy {baseline:F3}: it looks like training data, and estimates calibrated on it will be optimistic. Give held-out labelled texts in Drift:BaselinePath."
            : null;
        var quality = estimator.State.Quality;
        var method = string.Join(", ", quality.Maps.Select(m => m.Method).Distinct());
        Log.CalibrationReady(logger, source, labelled.Length, method, quality.EceBefore, quality.EceAfter);
        if (warning is not null)
        {
            Log.CalibrationLooksLikeTraining(logger, warning);
        }

        return new Calibration(estimator, source, warning);
    }
}
