using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>
/// The schemas in /openapi/v1.json agree with the service, checked with a JSON Schema 2020-12
/// validator (JsonSchema.Net) against the document's own schemas: a request body the schema accepts
/// is not refused as malformed (400) and one it rejects is, and real answers, errors included, are
/// documented for their status and media type and match their schema.
/// </summary>
public sealed class OpenApiSchemaAgreementTests : IClassFixture<OpenApiSchemaAgreementTests.WithAdminKey>
{
    /// <summary>Replaced with a fresh prediction's audit id, so feedback can name a real prediction.</summary>
    private const string PredictionId = "{prediction_id}";

    private const string AdminKey = "schema-admin-key-0123456789";

    private readonly HttpClient client;

    public OpenApiSchemaAgreementTests(WithAdminKey factory)
    {
        client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    /// <summary>An admin key, so the admin and feedback endpoints get as far as reading the body.</summary>
    public sealed class WithAdminKey() : ServiceFactory(new Dictionary<string, string?> { ["Security:AdminApiKey"] = AdminKey });

    [Theory]
    [InlineData("/predict", """{"texts": ["I love this product!", "This is terrible."]}""", true)]
    [InlineData("/predict", """{"inputs": "I like you.", "raw_scores": true}""", true)]
    [InlineData("/predict", """{"inputs": ["I like you.", "A dull film."], "truncate": true}""", true)]
    [InlineData("/predict", """{"texts": ["a"], "inputs": "a"}""", false)]
    [InlineData("/predict", """{"texts": []}""", false)]
    [InlineData("/predict", """{"texts": [1]}""", false)]
    [InlineData("/predict", """{"inputs": "a", "truncate": "yes"}""", false)]
    [InlineData("/predict", """{}""", false)]
    [InlineData("/", """{"inputs": "I like you."}""", true)]
    [InlineData("/", """{"inputs": ["I like you.", "A dull film."], "parameters": {"top_k": 1, "function_to_apply": "sigmoid"}}""", true)]
    [InlineData("/", """{"inputs": "a", "parameters": {"top_k": 0}}""", false)]
    [InlineData("/", """{"inputs": "a", "parameters": {"function_to_apply": "cube"}}""", false)]
    [InlineData("/", """{"inputs": 3}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"id": "42", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["I love this product!", "This is terrible."]}], "outputs": [{"name": "probabilities"}]}""", true)]
    [InlineData("/v2/models/sst2-tiny/versions/1.0.0/infer", """{"inputs": [{"name": "text", "shape": [2, 1], "datatype": "BYTES", "data": [["a"], ["b"]]}], "parameters": {"priority": 1}}""", true)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"inputs": [{"name": "input0", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"inputs": [{"name": "text", "shape": [2, 2], "datatype": "UINT32", "data": [1, 2, 3, 4]}]}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": [1]}]}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}], "outputs": [{"name": "output0"}]}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"inputs": []}""", false)]
    [InlineData("/v2/models/sst2-tiny/infer", """{"id": 42, "inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", false)]
    [InlineData("/tokenize", """{"text": "I love this product!"}""", true)]
    [InlineData("/tokenize", """{"text": 5}""", false)]
    [InlineData("/tokenize", """{}""", false)]
    [InlineData("/feedback", $$"""{"feedback": [{"prediction_id": "{{PredictionId}}", "label": "POSITIVE"}]}""", true)]
    [InlineData("/feedback", $$"""[{"id": "{{PredictionId}}", "true_label": 1}]""", true)]
    [InlineData("/feedback", $$"""{"prediction_id": "{{PredictionId}}", "label": "NEGATIVE"}""", true)]
    [InlineData("/feedback", $$"""{"prediction_ids": ["{{PredictionId}}"], "labels": ["POSITIVE"]}""", true)]
    [InlineData("/feedback", """{"feedback": []}""", false)]
    [InlineData("/feedback", $$"""{"feedback": [{"prediction_id": "{{PredictionId}}"}]}""", false)]
    [InlineData("/feedback", """{"prediction_id": "not-an-id", "label": "POSITIVE"}""", false)]
    [InlineData("/reference", """{"source": "window"}""", true)]
    [InlineData("/reference", """{"texts": ["a fine film", "a dull film"], "labels": ["POSITIVE", 0]}""", true)]
    [InlineData("/reference", """{"source": "yesterday"}""", false)]
    [InlineData("/reference", """{"texts": []}""", false)]
    [InlineData("/reference", """{"texts": "a fine film"}""", false)]
    public async Task The_documented_request_schema_accepts_what_the_endpoint_accepts(string path, string body, bool accepted)
    {
        if (body.Contains(PredictionId, StringComparison.Ordinal))
        {
            body = body.Replace(PredictionId, await FreshPredictionIdAsync(), StringComparison.Ordinal);
        }

        using var instance = JsonDocument.Parse(body);
        AssertValid(await RequestSchemaAsync(path), instance.RootElement, accepted, body);

        // Accepted: answered, or refused for another reason than its shape (a 409 for a window too small to re-baseline on).
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var status = (int)response.StatusCode;
        Assert.True(accepted ? status is < 400 or 409 or 422 : status == 400, $"POST {path} {body}: {status} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("GET", "/", null, 200)]
    [InlineData("GET", "/health/ready", null, 200)]
    [InlineData("POST", "/predict", """{"texts": ["I love this product!", "This is terrible."]}""", 200)]
    [InlineData("POST", "/predict", """{"inputs": "I like you."}""", 200)]
    [InlineData("POST", "/predict", """{"inputs": ["I like you.", "A dull film."], "raw_scores": true}""", 200)]
    [InlineData("POST", "/predict", """{"texts": []}""", 400)]
    [InlineData("POST", "/predict", """{"inputs": 3}""", 400)]
    [InlineData("POST", "/predict", "not json", 400)]
    [InlineData("POST", "/", """{"inputs": ["I like you.", "A dull film."], "parameters": {"top_k": 1}}""", 200)]
    [InlineData("POST", "/", """{"inputs": 3}""", 400)]
    [InlineData("POST", "/tokenize", """{"text": "I love this product!"}""", 200)]
    [InlineData("GET", "/v2/health/live", null, 200)]
    [InlineData("GET", "/v2", null, 200)]
    [InlineData("GET", "/v2/health/ready", null, 200)]
    [InlineData("GET", "/v2/models/sst2-tiny", null, 200)]
    [InlineData("GET", "/v2/models/sst2-tiny/versions/1.0.0/ready", null, 200)]
    [InlineData("GET", "/v2/models/sst2-tiny/versions/v10", null, 404)]
    [InlineData("POST", "/v2/models/sst2-tiny/versions/1.0.0/infer", """{"id": "42", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": ["I love this product!", "This is terrible."]}]}""", 200)]
    [InlineData("POST", "/v2/models/sst2-tiny/infer", """{"inputs": []}""", 400)]
    [InlineData("POST", "/feedback", $$"""{"feedback": [{"prediction_id": "{{PredictionId}}", "label": "POSITIVE"}]}""", 200)]
    [InlineData("POST", "/feedback", """{"feedback": []}""", 400)]
    [InlineData("GET", "/drift", null, 200)]
    [InlineData("GET", "/report", null, 200)]
    [InlineData("GET", "/alerts", null, 200)]
    [InlineData("GET", "/audit?limit=2", null, 200)]
    [InlineData("GET", "/audit?limit=0", null, 400)]
    [InlineData("GET", "/audit/verify", null, 200)]
    [InlineData("GET", "/audit/00000000000000000000000000000000", null, 404)]
    [InlineData("POST", "/drift/evaluate", null, 200)]
    public async Task The_documented_response_schema_matches_the_answer(string method, string path, string? body, int status)
    {
        if (body?.Contains(PredictionId, StringComparison.Ordinal) == true)
        {
            body = body.Replace(PredictionId, await FreshPredictionIdAsync(), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");

        var document = await DocumentAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var operation = document["paths"]![Template(document, path)]![method.ToLowerInvariant()]!;
        var content = operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?[mediaType!];
        Assert.True(content is not null, $"{method} {path}: {status} {mediaType} is not documented.");
        using var instance = JsonDocument.Parse(text);
        AssertValid(Schema(document, content["schema"]!), instance.RootElement, true, $"{method} {path} answered {text[..Math.Min(text.Length, 400)]}");
    }

    /// <summary>The operation's request-body schema.</summary>
    private async Task<JsonSchema> RequestSchemaAsync(string path)
    {
        var document = await DocumentAsync();
        return Schema(document, document["paths"]![Template(document, path)]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

    /// <summary>The document's path template that <paramref name="path"/> (without its query) matches, a literal one first, as routing does.</summary>
    private static string Template(JsonNode document, string path)
    {
        var plain = path.Split('?')[0];
        return document["paths"]!.AsObject().Select(p => p.Key).OrderBy(t => t.Count(c => c == '{'))
            .First(t => System.Text.RegularExpressions.Regex.IsMatch(plain, "^" + System.Text.RegularExpressions.Regex.Replace(t, @"\{[^}]+\}", "[^/]+") + "$"));
    }

    /// <summary>A schema of the document as a JSON Schema 2020-12, with the document's components as <c>$defs</c>.</summary>
    private static JsonSchema Schema(JsonNode document, JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://modelmonitor.test/{Guid.NewGuid():N}"));
    }

    private static void AssertValid(JsonSchema schema, JsonElement instance, bool expected, string what)
    {
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []);
        Assert.True(result.IsValid == expected, $"The documented schema {(result.IsValid ? "accepts" : "rejects")} {what}. {errors}");
    }

    private async Task<string> FreshPredictionIdAsync()
    {
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "a film worth seeing" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("predictions")[0].GetProperty("id").GetString()!;
    }
}
