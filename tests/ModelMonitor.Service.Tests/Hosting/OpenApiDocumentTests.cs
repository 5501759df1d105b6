using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>GET /openapi/v1.json: a valid OpenAPI 3 document that describes every mapped route and the API-key scheme.</summary>
public sealed partial class OpenApiDocumentTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string DocumentRoute = "/openapi/v1.json";

    /// <summary>The POST routes that read no body; every other POST or PUT must document its request body.</summary>
    private static readonly string[] BodilessPosts = ["/drift/evaluate"];

    [Fact]
    public async Task The_document_is_valid_openapi_3_and_describes_every_mapped_route()
    {
        var client = factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        var settings = new OpenApiReaderSettings();
        var result = OpenApiDocument.Parse(text, "json", settings);
        Assert.NotNull(result.Document);
        Assert.True(result.Diagnostic is null || result.Diagnostic.Errors.Count == 0, string.Join("\n", result.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? []));
        Assert.StartsWith("3.", result.Diagnostic!.SpecificationVersion switch
        {
            OpenApiSpecVersion.OpenApi3_0 => "3.0",
            OpenApiSpecVersion.OpenApi3_1 => "3.1",
            var other => other.ToString(),
        }, StringComparison.Ordinal);
        var document = result.Document!;
        Assert.False(string.IsNullOrEmpty(document.Info.Title));

        // Every mapped route and method but the document's own.
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != DocumentRoute)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Path: "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'), Method: m)))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(mapped);
        var missing = mapped.Where(m => document.Paths.TryGetValue(m.Path, out var item) is false || item.Operations?.Keys.Any(k => string.Equals(k.Method, m.Method, StringComparison.OrdinalIgnoreCase)) != true).ToArray();
        Assert.True(missing.Length == 0, "Routes missing from the document: " + string.Join(", ", missing.Select(m => $"{m.Method} {m.Path}")));

        // OpenAPI: every template variable of a path is a declared path parameter of each of its operations.
        var undeclared = document.Paths
            .SelectMany(p => p.Value.Operations!.SelectMany(o => TemplateVariable().Matches(p.Key)
                .Select(v => v.Groups[1].Value)
                .Where(name => (o.Value.Parameters ?? []).Concat(p.Value.Parameters ?? []).All(x => x.In != ParameterLocation.Path || x.Name != name))
                .Select(name => $"{o.Key.Method} {p.Key} {{{name}}}")))
            .ToArray();
        Assert.True(undeclared.Length == 0, "Path parameters not declared: " + string.Join(", ", undeclared));
    }

    /// <summary>
    /// Most endpoints read their JSON by hand, so API Explorer sees no body: each must name its schema.
    /// Every response of every operation, problem responses included, has a body schema.
    /// </summary>
    [Fact]
    public async Task Every_request_body_and_every_response_has_a_schema()
    {
        var document = OpenApiDocument.Parse(await factory.CreateClient().GetStringAsync(DocumentRoute), "json", new OpenApiReaderSettings()).Document!;
        var posts = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT").Select(m => (Path: "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'), Method: m)))
            .Where(m => !BodilessPosts.Contains(m.Path))
            .Distinct()
            .ToArray();
        Assert.Contains(("/predict", "POST"), posts);
        var withoutBody = posts.Where(m =>
                document.Paths[m.Path].Operations![HttpMethod.Parse(m.Method)].RequestBody?.Content?.TryGetValue("application/json", out var media) is not true
                || media.Schema is null)
            .ToArray();
        Assert.True(withoutBody.Length == 0, "Request bodies without a schema: " + string.Join(", ", withoutBody.Select(m => $"{m.Method} {m.Path}")));

        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Name: $"{o.Key.Method} {p.Key}", Operation: o.Value))).ToArray();
        var withoutSuccess = operations.Where(o => o.Operation.Responses?.Keys.Any(k => k.StartsWith('2')) != true).Select(o => o.Name).ToArray();
        Assert.True(withoutSuccess.Length == 0, "Operations without a success response: " + string.Join(", ", withoutSuccess));
        var withoutSchema = operations
            .SelectMany(o => o.Operation.Responses!.Where(r => r.Value.Content is not { Count: > 0 } content || content.Values.Any(m => m.Schema is null)).Select(r => $"{o.Name} {r.Key}"))
            .ToArray();
        Assert.True(withoutSchema.Length == 0, "Responses without a body schema: " + string.Join(", ", withoutSchema));
    }

    [Fact]
    public async Task The_api_key_scheme_is_declared_and_required_where_a_policy_applies()
    {
        var client = factory.CreateClient();
        var text = await client.GetStringAsync("/openapi/v1.json");
        var document = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings()).Document!;
        var scheme = document.Components!.SecuritySchemes!["ApiKey"];
        Assert.Equal(SecuritySchemeType.ApiKey, scheme.Type);
        Assert.Equal(ParameterLocation.Header, scheme.In);
        Assert.Equal("X-Api-Key", scheme.Name);

        var audit = document.Paths["/audit"].Operations![HttpMethod.Get];
        Assert.NotEmpty(audit.Security!);
        Assert.Contains("401", audit.Responses!.Keys);
        var predict = document.Paths["/predict"].Operations![HttpMethod.Post];
        Assert.True(predict.Security is null || predict.Security.Count == 0);
        Assert.Contains("400", predict.Responses!.Keys);
        Assert.Contains("application/problem+json", predict.Responses["400"].Content!.Keys);
    }

    [GeneratedRegex(@"\{([^}:?]+)")]
    private static partial Regex TemplateVariable();
}
