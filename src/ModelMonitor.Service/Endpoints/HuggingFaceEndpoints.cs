using Microsoft.Extensions.Options;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// POST / : Hugging Face Inference Endpoints' text classification. The answer is one list of
/// <c>{"label", "score"}</c> per input, highest score first, always inside an outer list.
/// </summary>
internal static class HuggingFaceEndpoints
{
    public static IEndpointRouteBuilder MapHuggingFace(this IEndpointRouteBuilder app)
    {
        app.MapPost("/", ClassifyAsync)
            .WithTags("Hugging Face")
            .WithName("HuggingFaceTextClassification")
            .WithSummary("Hugging Face Inference Endpoints text classification")
            .AcceptsJson(OpenApiRequestSchemas.InferenceEndpoints)
            .Produces<LabelScore[][]>()
            .Produces<HuggingFaceError>(StatusCodes.Status400BadRequest)
            .Produces<HuggingFaceError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<HuggingFaceError>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<HuggingFaceError>(StatusCodes.Status429TooManyRequests)
            .Produces<HuggingFaceError>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<IResult> ClassifyAsync(
        HttpContext context,
        ModelHost host,
        PredictionPipeline pipeline,
        IOptions<PredictOptions> limits,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var logger = loggers.CreateLogger("ModelMonitor.Predict");
        var (request, rejection) = await ModelRequest.ReadValueAsync(context, host, limits.Value, HuggingFaceRequestParser.ParseInferenceEndpoints, cancellationToken);
        if (rejection is not null)
        {
            return ProtocolErrors.HuggingFace(context, rejection, logger);
        }

        var (scores, failure) = await AnswerAsync(context, pipeline, request!, started, cancellationToken);
        return failure is not null ? ProtocolErrors.HuggingFace(context, failure, logger) : TypedResults.Ok(scores);
    }

    /// <summary>Runs a Hugging Face request through the shared prediction path; the audit ids go in <see cref="PredictionIdsHeader"/>.</summary>
    internal static async Task<(LabelScore[][]? Scores, Rejection? Rejection)> AnswerAsync(
        HttpContext context,
        PredictionPipeline pipeline,
        HuggingFaceRequest request,
        long started,
        CancellationToken cancellationToken)
    {
        var (run, rejection) = await pipeline.RunAsync(context, request.Texts, started, request.Truncate, "inputs", cancellationToken);
        if (rejection is not null)
        {
            return (null, rejection);
        }

        PredictionIdsHeader.Set(context, run!.Ids);
        return (run.Results.Select(r => LabelScores.Of(r, run.Model.Labels, request.Function, request.TopK)).ToArray(), null);
    }
}
