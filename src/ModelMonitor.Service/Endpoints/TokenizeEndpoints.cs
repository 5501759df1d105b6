using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>POST /tokenize: the ids and tokens the model would see for a text.</summary>
internal static class TokenizeEndpoints
{
    public static IEndpointRouteBuilder MapTokenize(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/tokenize").WithTags("Inference")
            .MapPost("", TokenizeAsync)
            .WithName("Tokenize")
            .AcceptsJson(OpenApiRequestSchemas.Tokenize)
            .Produces<TokenizeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok<TokenizeResponse>, ProblemHttpResult>> TokenizeAsync(
        HttpContext context,
        ModelHost host,
        IOptions<PredictOptions> limits,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Tokenize");
        var (text, problem) = await ModelRequest.ReadAsync(context, host, limits.Value, PredictRequestParser.ParseText, logger, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var classifier = host.Classifier;
        var encoding = classifier.Tokenize(text!);
        return TypedResults.Ok(new TokenizeResponse(encoding.Ids, classifier.Tokenizer.IdsToTokens(encoding.Ids), encoding.Length, encoding.Truncated));
    }
}
