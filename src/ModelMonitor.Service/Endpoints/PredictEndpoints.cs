using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>POST /predict: classify texts with the loaded model.</summary>
internal static class PredictEndpoints
{
    public static IEndpointRouteBuilder MapPredict(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/predict").WithTags("Inference");
        group.MapPost("", PredictAsync)
            .WithName("Predict")
            .Produces<PredictResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpContext context,
        ModelHost host,
        AuditTrail audit,
        InferenceBatcher batcher,
        ServiceMetrics metrics,
        DriftMonitor monitor,
        IOptions<BatchingOptions> batching,
        IOptions<PredictOptions> limits,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var logger = loggers.CreateLogger("ModelMonitor.Predict");
        var (texts, problem) = await ModelRequest.ReadAsync(context, host, limits.Value, PredictRequestParser.ParseTexts, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var classifier = host.Classifier;
        var tokenizeStarted = time.GetTimestamp();
        var encodings = texts!.Select(classifier.Tokenize).ToArray();
        var tokenizeMs = time.GetElapsedTime(tokenizeStarted).TotalMilliseconds;
        metrics.TokenizeDuration.Observe(tokenizeMs / 1000);
        IReadOnlyList<Classification> results;
        StageTimings timings;
        IReadOnlyList<string>? ids = null;

        // One timestamp for the audit records, the response and the monitor, so the live report and its offline rebuild agree.
        DateTimeOffset? recordedAt = null;
        ModelMonitor.Monitoring.Features.TextFeatureVector[]? features = null;
        if (batching.Value.Enabled)
        {
            // Audit records are built from values only: the batcher commits them after this request's context is gone.
            var requestId = context.TraceIdentifier;
            var descriptor = classifier.Model;
            Func<IReadOnlyList<Classification>, ModelMonitor.Audit.AuditEntry[]>? auditEntries = audit.Enabled
                ? classified =>
                {
                    features = FeatureExtractor.Extract(classifier, texts!, encodings, classified);
                    return audit.PredictionEntries(requestId, texts!, classified, descriptor, time.GetElapsedTime(started).TotalMilliseconds, (recordedAt = time.GetUtcNow()).Value, features);
                }
                : null;
            try
            {
                var outcome = await batcher.SubmitAsync(encodings, auditEntries, cancellationToken);
                (results, timings) = (outcome.Results, outcome.Timings);
                ids = outcome.AuditFailure is null ? outcome.AuditIds : audit.Unrecorded(requestId, texts!.Length, outcome.AuditFailure);
            }
            catch (AuditUnavailableException e)
            {
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Audit store unavailable", e.Message), logger);
            }
            catch (QueueFullException e)
            {
                context.Response.Headers.RetryAfter = "1";
                return Problems.From(context, new Rejection(StatusCodes.Status429TooManyRequests, "Too many requests", e.Message), logger);
            }
            catch (DeadlineExceededException e)
            {
                context.Response.Headers.RetryAfter = "1";
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Deadline exceeded", e.Message), logger);
            }
            catch (ServiceStoppingException e)
            {
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Service stopping", e.Message), logger);
            }

            metrics.QueueDuration.Observe(timings.QueueMs / 1000);
        }
        else
        {
            var inferenceStarted = time.GetTimestamp();
            try
            {
                results = classifier.Classify(encodings, cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // The model was unloaded (shutdown) before this call could start.
                var stopping = new ServiceStoppingException();
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Service stopping", stopping.Message), logger);
            }

            timings = new StageTimings(0, time.GetElapsedTime(inferenceStarted).TotalMilliseconds);
            metrics.InferenceDuration.Observe(timings.InferenceMs / 1000);
            metrics.BatchSize.Observe(encodings.Length);
        }

        if (batching.Value.TimingHeaders)
        {
            context.Response.Headers["Server-Timing"] = FormattableString.Invariant($"tokenize;dur={tokenizeMs:F3}, queue;dur={timings.QueueMs:F3}, inference;dur={timings.InferenceMs:F3}");
        }

        var labels = classifier.Model.Labels;
        if (!batching.Value.Enabled)
        {
            try
            {
                recordedAt = time.GetUtcNow();
                features = FeatureExtractor.Extract(classifier, texts!, encodings, results);
                ids = await audit.RecordPredictionsAsync(context, texts!, results, classifier.Model, time.GetElapsedTime(started).TotalMilliseconds, recordedAt.Value, features, cancellationToken);
            }
            catch (AuditUnavailableException e)
            {
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Audit store unavailable", e.Message), logger);
            }
        }

        var predictions = new PredictionResult[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var scores = new Dictionary<string, double>(labels.Count, StringComparer.Ordinal);
            for (var j = 0; j < labels.Count; j++)
            {
                scores[labels[j]] = result.Probabilities[j];
            }

            predictions[i] = new PredictionResult(ids?[i], result.Label, result.Score, scores, result.TokenCount, result.Truncated);
            metrics.Predictions.WithLabels(result.Label, classifier.Model.Name).Inc();
        }

        var model = classifier.Model;
        var now = recordedAt ?? time.GetUtcNow();
        monitor.Observe(ids, features ?? FeatureExtractor.Extract(classifier, texts!, encodings, results), now);
        var latest = monitor.Latest;
        return TypedResults.Ok(new PredictResponse(
            context.TraceIdentifier,
            now.UtcDateTime,
            new ModelIdentity(model.Name, model.Version, model.Sha256),
            predictions,
            latest?.DriftDetected ?? false,
            (latest?.Severity ?? ModelMonitor.Monitoring.Drift.Severity.None).Name()));
    }
}
