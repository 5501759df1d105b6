using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Inference;

/// <summary>What one prediction request produced: the results in input order, their audit ids, when they were recorded, and the monitor's latest evaluation.</summary>
internal sealed record PredictionRun(
    IReadOnlyList<Classification> Results,
    IReadOnlyList<string>? Ids,
    DateTimeOffset RecordedAt,
    ModelDescriptor Model,
    DriftEvaluation? Latest);

/// <summary>
/// The one path every prediction takes, whatever protocol asked for it: tokenize, classify (batched
/// or not), audit, count, and feed the drift monitor. Protocol endpoints only parse and shape.
/// </summary>
internal sealed class PredictionPipeline(
    ModelHost host,
    AuditTrail audit,
    InferenceBatcher batcher,
    ServiceMetrics metrics,
    DriftMonitor monitor,
    IOptions<BatchingOptions> batching,
    TimeProvider time)
{
    /// <summary>
    /// Classifies <paramref name="texts"/> for the request in <paramref name="context"/>; started is the request's start timestamp.
    /// With <paramref name="allowTruncation"/> false, a text longer than the model's sequence limit is refused (413) instead of cut.
    /// </summary>
    public async Task<(PredictionRun? Run, Rejection? Rejection)> RunAsync(
        HttpContext context,
        string[] texts,
        long started,
        bool allowTruncation,
        string field,
        CancellationToken cancellationToken)
    {
        var classifier = host.Classifier;
        var tokenizeStarted = time.GetTimestamp();
        var encodings = texts.Select(classifier.Tokenize).ToArray();
        var tokenizeMs = time.GetElapsedTime(tokenizeStarted).TotalMilliseconds;
        metrics.TokenizeDuration.Observe(tokenizeMs / 1000);
        if (!allowTruncation && TooLong(encodings, classifier.MaxSequenceLength, field) is { } tooLong)
        {
            return (null, tooLong);
        }

        IReadOnlyList<Classification> results;
        StageTimings timings;
        if (batching.Value.Enabled)
        {
            try
            {
                var outcome = await batcher.SubmitAsync(encodings, cancellationToken);
                (results, timings) = (outcome.Results, outcome.Timings);
            }
            catch (QueueFullException e)
            {
                context.Response.Headers.RetryAfter = "1";
                return (null, new Rejection(StatusCodes.Status429TooManyRequests, "Too many requests", e.Message));
            }
            catch (DeadlineExceededException e)
            {
                context.Response.Headers.RetryAfter = "1";
                return (null, new Rejection(StatusCodes.Status503ServiceUnavailable, "Deadline exceeded", e.Message));
            }
            catch (ServiceStoppingException e)
            {
                return (null, new Rejection(StatusCodes.Status503ServiceUnavailable, "Service stopping", e.Message));
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
                return (null, new Rejection(StatusCodes.Status503ServiceUnavailable, "Service stopping", new ServiceStoppingException().Message));
            }

            timings = new StageTimings(0, time.GetElapsedTime(inferenceStarted).TotalMilliseconds);
            metrics.InferenceDuration.Observe(timings.InferenceMs / 1000);
            metrics.BatchSize.Observe(encodings.Length);
        }

        if (batching.Value.TimingHeaders)
        {
            context.Response.Headers["Server-Timing"] = FormattableString.Invariant($"tokenize;dur={tokenizeMs:F3}, queue;dur={timings.QueueMs:F3}, inference;dur={timings.InferenceMs:F3}");
        }

        // Features once per text, for the audit record and the monitor alike; one timestamp for the
        // audit records, the response and the monitor, so the live report and its offline rebuild agree.
        var recordedAt = time.GetUtcNow();
        var features = FeatureExtractor.Extract(classifier, texts, encodings, results);
        IReadOnlyList<string>? ids;
        try
        {
            // Not cancelled with the request: a prediction made is audited and monitored even if its client left.
            ids = await audit.RecordPredictionsAsync(context, texts, results, classifier.Model, time.GetElapsedTime(started).TotalMilliseconds, recordedAt, features, CancellationToken.None);
        }
        catch (AuditUnavailableException e)
        {
            return (null, new Rejection(StatusCodes.Status503ServiceUnavailable, "Audit store unavailable", e.Message));
        }

        foreach (var result in results)
        {
            metrics.Predictions.WithLabels(result.Label, classifier.Model.Name).Inc();
        }

        await monitor.ObserveAsync(ids, features, recordedAt);
        return (new PredictionRun(results, ids, recordedAt, classifier.Model, monitor.State.Latest), null);
    }

    private static Rejection? TooLong(TokenizerEncoding[] encodings, int maxLength, string field)
    {
        for (var i = 0; i < encodings.Length; i++)
        {
            if (encodings[i].Truncated)
            {
                return Rejection.TooLarge($"{field}[{i}] is {encodings[i].UntruncatedLength} tokens; the model accepts at most {maxLength} (set truncate to true to cut it).");
            }
        }

        return null;
    }
}
