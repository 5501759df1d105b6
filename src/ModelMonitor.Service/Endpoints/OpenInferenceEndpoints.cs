using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// The Open Inference Protocol (KServe v2) over REST: server health, model metadata and readiness,
/// and inference. A health answer's status is its verdict: 200 for true, 400 for false, as the
/// protocol says. Errors are <c>{"error": "..."}</c>.
/// </summary>
internal static class OpenInferenceEndpoints
{
    public static IEndpointRouteBuilder MapOpenInference(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2").WithTags("Open Inference Protocol");
        group.MapGet(string.Empty, () => TypedResults.Ok(new OpenInferenceServerMetadata("modelmonitor", ServerVersion, []))).WithName("OpenInferenceServerMetadata");
        group.MapGet("/health/live", () => TypedResults.Ok(new OpenInferenceLive(true))).WithName("OpenInferenceLive");
        group.MapGet("/health/ready", ServerReady).WithName("OpenInferenceReady")
            .Produces<OpenInferenceReady>()
            .Produces<OpenInferenceReady>(StatusCodes.Status400BadRequest);

        // The protocol's version segment is optional: the same operations answer for the model and for the model at its version.
        MapModel(group.MapGroup("/models/{name}"), string.Empty);
        MapModel(group.MapGroup("/models/{name}/versions/{version}"), "Version");
        return app;
    }

    /// <summary>Model metadata, readiness and inference under <paramref name="model"/>; <paramref name="variant"/> keeps the operation names unique.</summary>
    /// <summary>The service's own version (its assembly's informational version, without the source hash).</summary>
    private static readonly string ServerVersion =
        (System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(OpenInferenceEndpoints).Assembly)?.InformationalVersion ?? "0.0.0").Split('+')[0];

    private static void MapModel(RouteGroupBuilder model, string variant)
    {
        model.MapGet(string.Empty, Metadata).WithName($"OpenInferenceModel{variant}Metadata")
            .Produces<OpenInferenceModelMetadata>()
            .Produces<OpenInferenceError>(StatusCodes.Status404NotFound)
            .Produces<OpenInferenceError>(StatusCodes.Status503ServiceUnavailable);
        model.MapGet("/ready", ModelReady).WithName($"OpenInferenceModel{variant}Ready")
            .Produces<OpenInferenceModelReady>()
            .Produces<OpenInferenceModelReady>(StatusCodes.Status400BadRequest)
            .Produces<OpenInferenceError>(StatusCodes.Status404NotFound);
        model.MapPost("/infer", InferAsync).WithName($"OpenInference{variant}Infer")
            .AcceptsJson(OpenApiRequestSchemas.OpenInferenceInfer)
            .Produces<OpenInferenceResponse>()
            .Produces<OpenInferenceError>(StatusCodes.Status400BadRequest)
            .Produces<OpenInferenceError>(StatusCodes.Status404NotFound)
            .Produces<OpenInferenceError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenInferenceError>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<OpenInferenceError>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenInferenceError>(StatusCodes.Status503ServiceUnavailable);
    }

    internal static IResult ServerReady(ModelHost host, AuditTrail audit) =>
        Ready(host, audit) ? TypedResults.Ok(new OpenInferenceReady(true)) : TypedResults.Json(new OpenInferenceReady(false), statusCode: StatusCodes.Status400BadRequest);

    internal static IResult Metadata(string name, HttpContext context, ModelHost host, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ModelMonitor.OpenInference");
        return Find(name, context, host) is { } rejection
            ? ProtocolErrors.OpenInference(context, rejection, logger)
            : TypedResults.Ok(OpenInferenceModel.Metadata(host.Classifier.Model));
    }

    internal static IResult ModelReady(string name, HttpContext context, ModelHost host, AuditTrail audit, ILoggerFactory loggers)
    {
        if (Find(name, context, host) is { Status: StatusCodes.Status404NotFound } unknown)
        {
            return ProtocolErrors.OpenInference(context, unknown, loggers.CreateLogger("ModelMonitor.OpenInference"));
        }

        return Ready(host, audit)
            ? TypedResults.Ok(new OpenInferenceModelReady(name, true))
            : TypedResults.Json(new OpenInferenceModelReady(name, false), statusCode: StatusCodes.Status400BadRequest);
    }

    internal static async Task<IResult> InferAsync(
        string name,
        HttpContext context,
        ModelHost host,
        PredictionPipeline pipeline,
        IOptions<PredictOptions> limits,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var logger = loggers.CreateLogger("ModelMonitor.OpenInference");
        if (Find(name, context, host) is { } missing)
        {
            return ProtocolErrors.OpenInference(context, missing, logger);
        }

        var (request, rejection) = await ModelRequest.ReadValueAsync(context, host, limits.Value, OpenInferenceRequestParser.Parse, cancellationToken);
        if (rejection is not null)
        {
            return ProtocolErrors.OpenInference(context, rejection, logger);
        }

        var (run, failure) = await pipeline.RunAsync(context, request!.Texts, started, allowTruncation: true, "inputs[0].data", cancellationToken);
        if (failure is not null)
        {
            return ProtocolErrors.OpenInference(context, failure, logger);
        }

        PredictionIdsHeader.Set(context, run!.Ids);
        var labels = run.Model.Labels;
        var count = run.Results.Count;
        var outputs = new List<OpenInferenceOutput>(2);
        foreach (var output in request.Outputs ?? [OpenInferenceModel.ProbabilitiesOutput, OpenInferenceModel.LabelOutput])
        {
            outputs.Add(output == OpenInferenceModel.ProbabilitiesOutput
                ? new OpenInferenceOutput(output, "FP32", [count, labels.Count], JsonSerializer.SerializeToElement(run.Results.SelectMany(r => r.Probabilities.Select(p => (float)p)).ToArray(), ServiceJsonContext.Default.SingleArray))
                : new OpenInferenceOutput(output, "BYTES", [count], JsonSerializer.SerializeToElement(run.Results.Select(r => r.Label).ToArray(), ServiceJsonContext.Default.StringArray)));
        }

        return TypedResults.Ok(new OpenInferenceResponse(run.Model.Name, run.Model.Version, request.Id, outputs));
    }

    private static bool Ready(ModelHost host, AuditTrail audit) => host.IsReady && audit.CheckWritable() is null;

    /// <summary>
    /// Null when <paramref name="name"/> (at the route's version, when it names one) is the served
    /// model; otherwise why not: 503 while loading, 404 for another name or another version.
    /// </summary>
    private static Rejection? Find(string name, HttpContext context, ModelHost host)
    {
        if (!host.IsReady)
        {
            return new Rejection(StatusCodes.Status503ServiceUnavailable, "Not ready", "The model is still loading; retry shortly.");
        }

        var served = host.Classifier.Model;
        if (!string.Equals(name, served.Name, StringComparison.Ordinal))
        {
            return new Rejection(StatusCodes.Status404NotFound, "Unknown model", $"Model '{name}' is not served here; this server serves '{served.Name}'.");
        }

        // Read from the route rather than bound: a bound parameter would fall back to the query string on the unversioned routes.
        return context.GetRouteValue("version") is string version && !string.Equals(version, served.Version, StringComparison.Ordinal)
            ? new Rejection(StatusCodes.Status404NotFound, "Unknown model version", $"Model '{name}' has no version '{version}'; its version is '{served.Version}'.")
            : null;
    }
}
