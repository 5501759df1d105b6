using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// GET /openapi/v1.json: the OpenAPI 3 document of every endpoint, with the API-key security scheme
/// (<c>X-Api-Key</c>) required on the operations whose endpoints carry an authorization policy.
/// </summary>
internal static class OpenApiDocumentation
{
    public const string DocumentName = "v1";

    /// <summary>Only the one document: any other name is an ordinary 404 ProblemDetails from routing.</summary>
    public const string Route = "/openapi/v1.json";

    public static IServiceCollection AddModelMonitorOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
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
                DescribeMetrics(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
                if (policies.Length > 0)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
                    });
                    operation.Description = $"{operation.Description} Requires an API key allowed by the {string.Join(", ", policies)} policy.".Trim();
                    operation.Responses ??= new OpenApiResponses();
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid API key (ProblemDetails)." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role is not allowed (ProblemDetails)." });
                }

                return Task.CompletedTask;
            });
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
