using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using ModelMonitor.Service.Options;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// GET /openapi/v1.json: the OpenAPI 3 document of every endpoint, with the API-key security scheme
/// (<c>X-Api-Key</c>), the request-body schemas of the endpoints that read their bodies by hand
/// (<see cref="OpenApiRequestSchemas"/>), and what API Explorer cannot see on its own
/// (<see cref="HandReadEndpointsTransformer"/>, <see cref="NamedFloatingPointLiteralsTransformer"/>).
/// </summary>
internal static class OpenApiDocumentation
{
    public const string DocumentName = "v1";

    /// <summary>Only the one document: any other name is an ordinary 404 ProblemDetails from routing.</summary>
    public const string Route = "/openapi/v1.json";

    public static IServiceCollection AddModelMonitorOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "ModelMonitor";
                document.Info.Description = "Serves a text-classification model with an audit trail and a drift monitor. Speaks its own API, Hugging Face's text classification and the Open Inference Protocol (KServe v2).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "An API key from Security:*ApiKey; which keys an operation accepts depends on its policy.",
                };
                var limits = context.ApplicationServices.GetRequiredService<IOptions<PredictOptions>>().Value;
                foreach (var (name, schema) in OpenApiRequestSchemas.All(document, limits))
                {
                    if (!document.AddComponent<IOpenApiSchema>(name, schema))
                    {
                        throw new InvalidOperationException($"The request schema '{name}' has the name of a generated schema; rename it.");
                    }
                }

                DescribeMetrics(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<NamedFloatingPointLiteralsTransformer>();
            options.AddOperationTransformer<HandReadEndpointsTransformer>();
        });

    /// <summary>prometheus-net maps /metrics as a request pipeline, which API Explorer cannot see; it is described here.</summary>
    private static void DescribeMetrics(OpenApiDocument document)
    {
        document.Paths ??= [];
        document.Paths.TryAdd("/metrics", new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new OpenApiOperation
                {
                    OperationId = "Metrics",
                    Summary = "Prometheus metrics in the text exposition format 0.0.4; no API key.",
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "The metrics.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                    },
                },
            },
        });
    }

}
