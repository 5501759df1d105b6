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
        app.MapGroup("/feedback").WithTags("Monitoring").RequireAuthorization(Policies.Feedback).MapPost("", FeedbackAsync)
            .WithName("Feedback")
            .AcceptsJson(OpenApiRequestSchemas.Feedback)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<FeedbackResponse>, ProblemHttpResult>> FeedbackAsync(
        HttpContext context,
        ModelHost host,
        DriftMonitor monitor,
        AuditTrail audit,
        Microsoft.Extensions.Options.IOptions<PredictOptions> limits,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Feedback");
        var (items, problem) = await ModelRequest.ReadAsync(context, host, limits.Value, (document, _) => Parse(document, host.Classifier.Model.Labels, time.GetUtcNow()), logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (audit.Source is null)
        {
            return Problems.From(context, new Rejection(StatusCodes.Status409Conflict, "Audit disabled", "Feedback joins predictions by their audit ids and is stored in the audit trail; enable Audit to use it."), logger);
        }

        var now = time.GetUtcNow();
        var results = new List<FeedbackItemResult>(items!.Count);
        var entries = new List<AuditEntry>();
        var joined = 0;
        var joins = await monitor.FeedbackAsync([.. items.Select(i => (i.PredictionId, i.Label))], cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            var (item, join) = (items[i], joins[i]);
            var known = join == FeedbackJoin.Joined || audit.Contains(item.PredictionId, MonitoringAuditRecords.PredictionKind);
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

            await monitor.FeedbackStoredAsync(now, entries.Count, joined);
        }

        return TypedResults.Ok(new FeedbackResponse(entries.Count, joined, items.Count - entries.Count, results));
    }

    /// <summary>
    /// Accepts the documented <c>{"feedback": [{"prediction_id", "label"}, ...]}</c>, and, because
    /// clients write it in other natural shapes, a bare array of items, a single item, or
    /// <c>{"prediction_ids": [...], "labels": [...]}</c>. An item's id may be named <c>id</c> and its
    /// label <c>true_label</c>.
    /// </summary>
    private static (IReadOnlyList<FeedbackItem>? Items, Rejection? Rejection) Parse(JsonDocument document, IReadOnlyList<string> labels, DateTimeOffset now)
    {
        var root = document.RootElement;
        const string Shape = "The body must be {\"feedback\": [{\"prediction_id\": \"...\", \"label\": \"...\"}, ...]}.";
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("prediction_ids", out var ids))
        {
            return ParseColumns(root, ids, labels, now);
        }

        var (array, name) = root.ValueKind switch
        {
            JsonValueKind.Array => (root, "feedback"),
            JsonValueKind.Object when root.TryGetProperty("feedback", out var list) => (list, "feedback"),
            JsonValueKind.Object when Property(root, "prediction_id", "id").ValueKind != JsonValueKind.Undefined => (default(JsonElement), "single"),
            _ => (default(JsonElement), ""),
        };
        if (name == "single")
        {
            var (single, rejection) = ParseItem(root, "body", labels, now);
            return rejection is null ? ([single!], null) : (null, rejection);
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return (null, Rejection.BadRequest(Shape));
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
        foreach (var element in array.EnumerateArray())
        {
            var (item, rejection) = ParseItem(element, $"feedback[{index++}]", labels, now);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            items.Add(item!);
        }

        return (items, null);
    }

    private static (IReadOnlyList<FeedbackItem>? Items, Rejection? Rejection) ParseColumns(JsonElement root, JsonElement ids, IReadOnlyList<string> labels, DateTimeOffset now)
    {
        var values = Property(root, "labels", "true_labels");
        if (ids.ValueKind != JsonValueKind.Array || values.ValueKind != JsonValueKind.Array || ids.GetArrayLength() != values.GetArrayLength())
        {
            return (null, Rejection.BadRequest("'prediction_ids' and 'labels' must be arrays of the same length."));
        }

        var count = ids.GetArrayLength();
        if (count == 0 || count > MaxItems)
        {
            return (null, count == 0 ? Rejection.BadRequest("'prediction_ids' must contain at least one id.") : Rejection.TooLarge($"'prediction_ids' has {count} items; at most {MaxItems} are accepted per request."));
        }

        var items = new List<FeedbackItem>(count);
        for (var i = 0; i < count; i++)
        {
            var (item, rejection) = Resolve(ids[i], values[i], $"prediction_ids[{i}]", $"labels[{i}]", labels, now);
            if (rejection is not null)
            {
                return (null, rejection);
            }

            items.Add(item!);
        }

        return (items, null);
    }

    private static (FeedbackItem? Item, Rejection? Rejection) ParseItem(JsonElement item, string at, IReadOnlyList<string> labels, DateTimeOffset now) =>
        item.ValueKind != JsonValueKind.Object
            ? (null, Rejection.BadRequest($"{at} must be an object with 'prediction_id' and 'label'."))
            : Resolve(Property(item, "prediction_id", "id"), Property(item, "label", "true_label"), $"{at}.prediction_id", $"{at}.label", labels, now);

    private static (FeedbackItem? Item, Rejection? Rejection) Resolve(JsonElement id, JsonElement label, string idAt, string labelAt, IReadOnlyList<string> labels, DateTimeOffset now)
    {
        if (!id.TryReadString(out var predictionId) || !AuditIds.TryParseTime(predictionId = predictionId.ToLowerInvariant(), out var issued) || issued > now.AddDays(1))
        {
            return (null, Rejection.BadRequest($"{idAt} must be a prediction id as /predict returned it: 32 hex digits, issued no later than now."));
        }

        if (label.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return (null, Rejection.BadRequest($"{labelAt} is required: one of {string.Join(", ", labels)}, or its index."));
        }

        if (label.IsUndecodableString())
        {
            return (null, Rejection.BadRequest($"{labelAt} is not valid Unicode (invalid UTF-8 or a lone surrogate)."));
        }

        var text = label.ValueKind == JsonValueKind.String ? label.GetString()! : label.GetRawText();
        var resolved = LabelNames.Resolve(text, labels);
        return resolved < 0
            ? (null, Rejection.BadRequest($"{labelAt} '{text}' is not one of the model's labels ({string.Join(", ", labels)}) nor an index below {labels.Count}."))
            : (new FeedbackItem(predictionId, resolved, labels[resolved]), null);
    }

    private static JsonElement Property(JsonElement item, string name, string alias) =>
        item.TryGetProperty(name, out var value) || item.TryGetProperty(alias, out value) ? value : default;
}
