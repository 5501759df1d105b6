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
            .Produces<TokenizeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    internal static async Task<Results<Ok<TokenizeResponse>, ProblemHttpResult>> TokenizeAsync(
        HttpContext context,
        ModelHost host,
        IOptionsSnapshot<PredictOptions> limits,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Tokenize");
        if (!host.IsReady)
        {
            return Problems.NotReady(context);
        }

        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, limits.Value.MaxBodyBytes, cancellationToken);
        if (rejection is not null)
        {
            return Problems.From(context, rejection, logger);
        }

        string? text;
        using (document)
        {
            (text, rejection) = PredictRequestParser.ParseText(document!, limits.Value);
        }

        if (rejection is not null)
        {
            return Problems.From(context, rejection, logger);
        }

        var classifier = host.Classifier;
        var encoding = classifier.Tokenize(text!);
        return TypedResults.Ok(new TokenizeResponse(encoding.Ids, classifier.Tokenizer.IdsToTokens(encoding.Ids), encoding.Length, encoding.Truncated));
    }
}
