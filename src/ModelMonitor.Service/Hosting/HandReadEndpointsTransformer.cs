using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// What API Explorer cannot see in an endpoint's signature, added to its operation: the route
/// parameters read from the route values, the API-key requirement and its 401/403 ProblemDetails,
/// the request body named by <see cref="JsonRequestBody"/>, and the <see cref="AlternativeResponse"/>s.
/// </summary>
internal sealed partial class HandReadEndpointsTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        DeclareRouteParameters(operation, context.Description.RelativePath);
        await RequireApiKeyAsync(operation, context, metadata, cancellationToken);
        if (metadata.OfType<JsonRequestBody>().LastOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = body.Required,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(body.Schema, context.Document) },
                },
            };
        }

        foreach (var alternative in metadata.OfType<AlternativeResponse>())
        {
            var schema = await context.GetOrCreateSchemaAsync(alternative.Body, null, cancellationToken);
            foreach (var status in alternative.StatusCodes)
            {
                AddJsonResponse(operation, status, schema);
            }
        }
    }

    /// <summary>
    /// Declares each route parameter that the handler reads from the route values rather than binds
    /// (API Explorer lists only bound ones): OpenAPI requires every template variable declared.
    /// </summary>
    private static void DeclareRouteParameters(OpenApiOperation operation, string? path)
    {
        foreach (Match match in RouteParameter().Matches(path ?? string.Empty))
        {
            var name = match.Groups["name"].Value;
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name))
            {
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
            }
        }
    }

    /// <summary>Operations behind a policy: the API-key requirement, and their 401 and 403 ProblemDetails.</summary>
    private static async Task RequireApiKeyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, CancellationToken cancellationToken)
    {
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
        if (policies.Length == 0)
        {
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
        });
        operation.Description = $"{operation.Description} Requires an API key allowed by the {string.Join(", ", policies)} policy.".Trim();
        operation.Responses ??= new OpenApiResponses();
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        foreach (var (status, description) in new[] { ("401", "No valid API key."), ("403", "The key's role is not allowed.") })
        {
            if (!operation.Responses.TryGetValue(status, out var response) || response.Content is not { Count: > 0 })
            {
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = problem } },
                };
            }
        }
    }

    /// <summary>Adds a JSON body to a status code's response; beside a JSON body already there, either one (<c>oneOf</c>).</summary>
    private static void AddJsonResponse(OpenApiOperation operation, int status, IOpenApiSchema schema)
    {
        operation.Responses ??= new OpenApiResponses();
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
            operation.Responses[key] = response;
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        if (response.Content.TryGetValue("application/json", out var media) && media.Schema is { } declared)
        {
            media.Schema = declared is OpenApiSchema { OneOf: { Count: > 0 } alternatives } ? new OpenApiSchema { OneOf = [.. alternatives, schema] } : new OpenApiSchema { OneOf = [declared, schema] };
        }
        else
        {
            response.Content["application/json"] = new OpenApiMediaType { Schema = schema };
        }
    }

    /// <summary>A route template's parameter name: <c>{name}</c>, <c>{name:constraint}</c>, <c>{name?}</c>, <c>{*name}</c>.</summary>
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex RouteParameter();
}
