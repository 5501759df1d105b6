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
            .AcceptsJson(OpenApiRequestSchemas.PredictOrTextEmbeddingsInference)
            .Produces<PredictResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)

            // text-embeddings-inference's answers: a flat list for one string, a list of lists for a list; its errors in its body.
            .AlsoProduces<LabelScore[]>(StatusCodes.Status200OK)
            .AlsoProduces<LabelScore[][]>(StatusCodes.Status200OK)
            .AlsoProduces<HuggingFaceError>(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<IResult> PredictAsync(
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
        var (body, problem) = await ModelRequest.ReadAsync(context, host, limits.Value, PredictRequestParser.ParseBody, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Tei is not null || body.TeiRejection is not null)
        {
            return await AnswerTextEmbeddingsInferenceAsync(context, pipeline, body, started, logger, cancellationToken);
        }

        var texts = body.Texts!;
        var (run, rejection) = await pipeline.RunAsync(context, texts, started, allowTruncation: true, "texts", cancellationToken);
        if (rejection is not null)
        {
            return Problems.From(context, rejection, logger);
        }

        var labels = run!.Model.Labels;
        var predictions = new PredictionResult[run.Results.Count];
        for (var i = 0; i < run.Results.Count; i++)
        {
            var result = run.Results[i];
            var scores = new Dictionary<string, double>(labels.Count, StringComparer.Ordinal);
            for (var j = 0; j < labels.Count; j++)
            {
                scores[labels[j]] = result.Probabilities[j];
            }

            predictions[i] = new PredictionResult(run.Ids?[i], result.Label, result.Score, scores, result.TokenCount, result.Truncated);
        }

        var model = run.Model;
        return TypedResults.Ok(new PredictResponse(
            context.TraceIdentifier,
            run.RecordedAt.UtcDateTime,
            new ModelIdentity(model.Name, model.Version, model.Sha256),
            predictions,
            run.Latest?.DriftDetected ?? false,
            (run.Latest?.Severity ?? ModelMonitor.Monitoring.Drift.Severity.None).Name()));
    }

    /// <summary>text-embeddings-inference's /predict: a flat list for one string, a list of lists for a list; errors in its body.</summary>
    private static async Task<IResult> AnswerTextEmbeddingsInferenceAsync(HttpContext context, PredictionPipeline pipeline, PredictBody body, long started, ILogger logger, CancellationToken cancellationToken)
    {
        if (body.TeiRejection is not null)
        {
            return ProtocolErrors.HuggingFace(context, body.TeiRejection, logger);
        }

        var request = body.Tei!;
        var (scores, rejection) = await HuggingFaceEndpoints.AnswerAsync(context, pipeline, request, started, cancellationToken);
        if (rejection is not null)
        {
            return ProtocolErrors.HuggingFace(context, rejection, logger);
        }

        return request.IsList ? TypedResults.Ok(scores) : TypedResults.Ok(scores![0]);
    }
}
