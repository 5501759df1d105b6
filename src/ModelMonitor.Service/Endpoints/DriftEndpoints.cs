using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// The drift monitor's API: GET /drift, GET /report, GET /alerts, and the admin actions
/// POST /reference (re-score or re-baseline) and POST /drift/evaluate (evaluate now).
/// </summary>
internal static class DriftEndpoints
{
    public static IEndpointRouteBuilder MapDrift(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Monitoring");
        // Reads go through the monitor's queue, so they include every prediction and label answered before them.
        group.MapGet("/drift", async (DriftMonitor monitor, IOptions<DriftOptions> options, CancellationToken cancellationToken) => TypedResults.Ok(DriftViews.Drift(await monitor.ReadAsync(cancellationToken), options.Value))).WithName("Drift");
        var admin = app.MapGroup("").WithTags("Monitoring").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapPost("/drift/evaluate", EvaluateAsync).WithName("EvaluateDrift")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/reference", ReferenceAsync).WithName("Reference")
            .AcceptsJson(OpenApiRequestSchemas.Reference, required: false)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/report", async (DriftMonitor monitor, TimeProvider time, CancellationToken cancellationToken) =>
        {
            await monitor.ReadAsync(cancellationToken);
            return TypedResults.Ok(monitor.Report.Build(time.GetUtcNow()));
        }).WithName("Report");
        group.MapGet("/alerts", Alerts).WithName("Alerts");
        return app;
    }

    internal static async Task<Ok<AlertsResponse>> Alerts(DriftMonitor monitor, ModelMonitor.Service.Alerts.AlertMailer mailer, CancellationToken cancellationToken)
    {
        var state = await monitor.ReadAsync(cancellationToken);
        var (sent, pending, failed) = mailer.Counts();
        return TypedResults.Ok(new AlertsResponse(state.ActiveAlerts, state.RecentAlerts, new OutboxView(mailer.Enabled, sent, pending, failed)));
    }

    internal static async Task<Results<Ok<DriftResponse>, ProblemHttpResult>> EvaluateAsync(HttpContext context, DriftMonitor monitor, IOptions<DriftOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Drift");

        if (await monitor.EvaluateAsync(cancellationToken) is null)
        {
            var state = await monitor.ReadAsync(cancellationToken);
            return Problems.From(context, Conflict($"There is no reference yet (state: {state.Status.State}); nothing to evaluate against."), logger);
        }

        return TypedResults.Ok(DriftViews.Drift(await monitor.ReadAsync(cancellationToken), options.Value));
    }

    internal static async Task<Results<Ok<ReferenceView>, ProblemHttpResult>> ReferenceAsync(
        HttpContext context,
        DriftMonitor monitor,
        ModelHost host,
        IOptions<DriftOptions> options,
        IOptions<PredictOptions> limits,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Drift");

        if (!monitor.Enabled)
        {
            return Problems.From(context, Conflict("The drift monitor is disabled (Drift:Enabled is false)."), logger);
        }

        if (!host.IsReady)
        {
            return Problems.NotReady(context);
        }

        var (texts, source, rejection) = context.Request.ContentLength is 0 or null && !context.Request.Headers.ContainsKey("Transfer-Encoding")
            ? (null, null, null)
            : await ReadBodyAsync(context, limits.Value, cancellationToken);
        if (rejection is not null)
        {
            return Problems.From(context, rejection, logger);
        }

        var fromWindow = source == "window" || (texts is null && string.IsNullOrWhiteSpace(options.Value.ReferencePath));
        if (fromWindow)
        {
            return await monitor.RebaselineFromWindowAsync(cancellationToken) is null
                ? Problems.From(context, Conflict($"The window holds {monitor.WindowCount} predictions; at least {options.Value.MinWindowSize} are needed to re-baseline on live traffic."), logger)
                : TypedResults.Ok(DriftViews.Reference(await monitor.ReadAsync(cancellationToken)));
        }

        try
        {
            await monitor.BuildReferenceAsync(texts, texts is null ? options.Value.ReferencePath! : "request", cancellationToken);
        }
        catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException)
        {
            return Problems.From(context, new Rejection(texts is null ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity, "Reference unusable", e.Message), logger);
        }

        return TypedResults.Ok(DriftViews.Reference(await monitor.ReadAsync(cancellationToken)));
    }

    /// <summary>Parses <c>{"source": "file" | "window"}</c> or <c>{"texts": [...], "labels": [...]}</c>.</summary>
    private static async Task<(IReadOnlyList<ReferenceText>? Texts, string? Source, Rejection? Rejection)> ReadBodyAsync(HttpContext context, PredictOptions limits, CancellationToken cancellationToken)
    {
        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        if (rejection is not null)
        {
            return (null, null, rejection);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, Rejection.BadRequest("The body must be a JSON object: {\"source\": \"file\" | \"window\"} or {\"texts\": [...], \"labels\": [...]}."));
            }

            if (root.TryGetProperty("source", out var source))
            {
                return source.TryReadString(out var sourceName) && sourceName is "file" or "window"
                    ? (null, sourceName, null)
                    : (null, null, Rejection.BadRequest("'source' must be \"file\" or \"window\"."));
            }

            if (!root.TryGetProperty("texts", out var texts))
            {
                return (null, null, null);
            }

            if (texts.ValueKind != JsonValueKind.Array || texts.GetArrayLength() == 0 || texts.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                return (null, null, Rejection.BadRequest("'texts' must be a non-empty array of strings."));
            }

            if (texts.EnumerateArray().Select((t, i) => (t, i)).FirstOrDefault(x => x.t.IsUndecodableString()) is { t.ValueKind: JsonValueKind.String } bad)
            {
                return (null, null, Rejection.BadRequest($"texts[{bad.i}] is not valid Unicode (invalid UTF-8 or a lone surrogate)."));
            }

            var labels = root.TryGetProperty("labels", out var labelArray) ? labelArray : default;
            if (labels.ValueKind != JsonValueKind.Undefined && (labels.ValueKind != JsonValueKind.Array || labels.GetArrayLength() != texts.GetArrayLength()))
            {
                return (null, null, Rejection.BadRequest("'labels', when given, must be an array with one label per text."));
            }

            var items = new List<ReferenceText>();
            var index = 0;
            foreach (var text in texts.EnumerateArray())
            {
                string? label = null;
                if (labels.ValueKind == JsonValueKind.Array)
                {
                    var value = labels[index];
                    if (value.IsUndecodableString())
                    {
                        return (null, null, Rejection.BadRequest($"labels[{index}] is not valid Unicode (invalid UTF-8 or a lone surrogate)."));
                    }

                    label = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number => value.GetRawText(),
                        _ => null,
                    };
                }

                items.Add(new ReferenceText(text.GetString()!, label));
                index++;
            }

            return (items, null, null);
        }
    }

    private static Rejection Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
}
