using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>GET /openapi/v1.json: a valid OpenAPI 3 document that describes every mapped route and the API-key scheme.</summary>
public sealed class OpenApiDocumentTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string DocumentRoute = "/openapi/v1.json";

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
}
