using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// POST /feedback: true labels for served predictions, in batches:
/// <c>{"feedback": [{"prediction_id": "...", "label": "POSITIVE"}, ...]}</c> (a label name or
/// index). Each label is stored in the audit trail and joined to its prediction in the window.
/// </summary>
internal static class FeedbackEndpoints
{
    public const int MaxItems = 1000;

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/feedback").WithTags("Monitoring").MapPost("", FeedbackAsync)
            .WithName("Feedback")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<FeedbackResponse>, ProblemHttpResult>> FeedbackAsync(
        HttpContext context,
        ModelHost host,
        DriftMonitor monitor,
        AuditTrail audit,
        ApiKeys keys,
        Microsoft.Extensions.Options.IOptionsSnapshot<PredictOptions> limits,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Feedback");
        if (keys.RequireFeedback(context) is { } denied)
        {
            return Problems.From(context, denied, logger);
        }

        var (items, problem) = await ModelRequest.ReadAsync(context, host, limits.Value, (document, _) => Parse(document, host.Classifier.Model.Labels), logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (audit.Directory is null)
        {
            return Problems.From(context, new Rejection(StatusCodes.Status409Conflict, "Audit disabled", "Feedback joins predictions by their audit ids and is stored in the audit trail; enable Audit to use it."), logger);
        }

        var now = time.GetUtcNow();
        var results = new List<FeedbackItemResult>(items!.Count);
        var entries = new List<AuditEntry>();
        var joined = 0;
        foreach (var item in items)
        {
            var join = monitor.Feedback(item.PredictionId, item.Label);
            var known = join == FeedbackJoin.Joined || AuditReader.Find(audit.Directory, item.PredictionId) is { Kind: MonitoringAuditRecords.PredictionKind };
            if (!known)
            {
                results.Add(new FeedbackItemResult(item.PredictionId, "unknown_prediction"));
                continue;
            }

            joined += join == FeedbackJoin.Joined ? 1 : 0;
            entries.Add(MonitoringAuditRecords.Feedback(now, context.TraceIdentifier, item.PredictionId, item.LabelName, item.Label, join == FeedbackJoin.Joined));
            results.Add(new FeedbackItemResult(item.PredictionId, join == FeedbackJoin.Joined ? "joined" : "recorded"));
        }

        if (entries.Count > 0)
        {
            try
            {
                await audit.AppendAsync(entries, cancellationToken);
            }
            catch (AuditWriteException e)
            {
                return Problems.From(context, new Rejection(StatusCodes.Status503ServiceUnavailable, "Audit store unavailable", $"The feedback could not be stored: {e.Message}"), logger);
            }

            monitor.Report.AddFeedback(now, entries.Count, joined);
        }

        return TypedResults.Ok(new FeedbackResponse(entries.Count, joined, items.Count - entries.Count, results));
    }

    private static (IReadOnlyList<FeedbackItem>? Items, Rejection? Rejection) Parse(JsonDocument document, IReadOnlyList<string> labels)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("feedback", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return (null, Rejection.BadRequest("The body must be {\"feedback\": [{\"prediction_id\": \"...\", \"label\": \"...\"}, ...]}."));
        }

        var count = array.GetArrayLength();
        if (count == 0)
        {
            return (null, Rejection.BadRequest("'feedback' must contain at least one item."));
        }

        if (count > MaxItems)
        {
            return (null, Rejection.TooLarge($"'feedback' has {count} items; at most {MaxItems} are accepted per request."));
        }

        var items = new List<FeedbackItem>(count);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"feedback[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return (null, Rejection.BadRequest($"{at} must be an object with 'prediction_id' and 'label'."));
            }

            if (!item.TryGetProperty("prediction_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 64 } predictionId)
            {
                return (null, Rejection.BadRequest($"{at}.prediction_id must be a prediction id string, as /predict returned it."));
            }

            if (!item.TryGetProperty("label", out var label) || label.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return (null, Rejection.BadRequest($"{at}.label is required: one of {string.Join(", ", labels)}, or its index."));
            }

            var text = label.ValueKind == JsonValueKind.String ? label.GetString()! : label.GetRawText();
            var resolved = LabelNames.Resolve(text, labels);
            if (resolved < 0)
            {
                return (null, Rejection.BadRequest($"{at}.label '{text}' is not one of the model's labels ({string.Join(", ", labels)}) nor an index below {labels.Count}."));
            }

            items.Add(new FeedbackItem(predictionId, resolved, labels[resolved]));
        }

        return (items, null);
    }
}
