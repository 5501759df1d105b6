using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// A corpus of malformed requests for every mapped endpoint: none may get a 5xx, and every 4xx is a
/// ProblemDetails, or, for another protocol's request (Hugging Face, Open Inference), that protocol's
/// error body. A newly mapped endpoint fails the coverage test until it joins the corpus.
/// </summary>
public sealed class BadInputCorpusTests : IClassFixture<BadInputCorpusTests.WithKeys>
{
    private const string AdminKey = "corpus-admin-key";
    private readonly WithKeys factory;

    public BadInputCorpusTests(WithKeys factory) => this.factory = factory;

    /// <summary>Keys configured, so key-protected endpoints get as far as reading the body.</summary>
    public sealed class WithKeys() : ServiceFactory(new Dictionary<string, string?>
    {
        ["Security:AdminApiKey"] = AdminKey,
        ["Predict:MaxBodyBytes"] = "65536",
    });

    /// <summary>Which error body a 4xx may have besides ProblemDetails: none, Hugging Face's or the Open Inference Protocol's.</summary>
    private enum Protocol
    {
        Native,
        HuggingFace,
        OpenInference,
    }

    private sealed record Case(string Method, string Route, string Path, string? ContentType, byte[]? Body, Protocol Protocol = Protocol.Native)
    {
        public override string ToString() => $"{Method} {Path} {(Body is null ? "" : Encoding.UTF8.GetString(Body.Take(80).ToArray()))}";
    }

    /// <summary>Every route of the service with its cases; the key is "METHOD route-pattern".</summary>
    private static List<Case> Corpus()
    {
        var cases = new List<Case>();
        void Get(string route, params string[] paths) => GetIn(Protocol.Native, route, paths);
        void GetIn(Protocol protocol, string route, params string[] paths) => cases.AddRange(paths.Select(p => new Case("GET", route, p, null, null, protocol)));
        void PostIn(Protocol protocol, string route, string path, params byte[][] bodies)
        {
            foreach (var body in Generic().Concat(bodies))
            {
                cases.Add(new Case("POST", route, path, "application/json", body, protocol));
            }

            cases.Add(new Case("POST", route, path, "text/plain", Encoding.UTF8.GetBytes("{}"), protocol));
            cases.Add(new Case("POST", route, path, null, Encoding.UTF8.GetBytes("{}"), protocol));
        }

        void Post(string route, string path, params byte[][] bodies) => PostIn(Protocol.Native, route, path, bodies);

        Get("/", "/?x=%FF%FE", "/?" + new string('q', 4000));
        Get("/health/live", "/health/live?x=%00");
        Get("/health/ready", "/health/ready?x=%00");
        Get("/metrics", "/metrics?name[]=%FF");
        Get("/openapi/v1.json", "/openapi/v1.json?x=%FF", "/openapi/v1.json?" + new string('q', 4000));
        Get("/drift", "/drift?x=%FF");
        Get("/report", "/report?from=x&to=%00");
        Get("/alerts", "/alerts?state=%FF");
        Get("/audit/verify", "/audit/verify?x=1");
        Get(
            "/audit",
            "/audit?to=9999-12-31T23:59:59Z",
            "/audit?from=0001-01-01T00:00:00Z",
            "/audit?from=10000-01-01",
            "/audit?from=not-a-time",
            "/audit?limit=-1",
            "/audit?limit=99999999999999999999",
            "/audit?order=sideways",
            "/audit?cursor=%00%FF",
            "/audit?kind=" + new string('k', 5000));
        Get(
            "/audit/{id}",
            "/audit/ffffffffffff00000000000000000000",
            "/audit/FFFFFFFFFFFF00000000000000000000",
            "/audit/ffffffffffffffffffffffffffffffff",
            "/audit/%FF%FE",
            "/audit/" + new string('a', 8000));

        Get("/dashboard", "/dashboard?x=%FF", "/dashboard?" + new string('q', 4000));
        Get(
            "/drift/history",
            "/drift/history?limit=-1",
            "/drift/history?limit=99999999999999999999",
            "/drift/history?max_points=%00",
            "/drift/history?detail=%FF",
            "/drift/history?cursor=%00%FF",
            "/drift/history?cursor=ffffffffffffffffffffffffffffffff",
            "/drift/history?cursor=00000000000000000000000000000000",
            "/drift/history?from=0001-01-01T00:00:00Z",
            "/drift/history?from=1970-01-01T00:00:00Z&to=9999-12-30T00:00:00Z&max_points=5000",
            "/drift/history?from=a&from=b");
        Get(
            "/traffic/history",
            "/traffic/history?buckets=-1",
            "/traffic/history?buckets=99999999999999999999",
            "/traffic/history?from=1970-01-01T00:00:00Z&to=9999-12-30T00:00:00Z&buckets=2000",
            "/traffic/history?to=1970-01-01T00:00:00Z",
            "/traffic/history?from=%FF");

        Post("/predict", "/predict", J("""{"texts":["a \ud800 b"]}"""), J("""{"texts":["\udc00\ud800"]}"""), Bytes("{\"texts\":[\"a ", [0xFF, 0xFE], " b\"]}"), J("""{"texts":[1e999]}"""));
        PostIn(
            Protocol.HuggingFace,
            "/predict",
            "/predict",
            J("""{"inputs":["a \ud800 b"]}"""),
            J("""{"inputs":"\udc00"}"""),
            Bytes("{\"inputs\":\"", [0xFF, 0xFE], "\"}"),
            J("""{"inputs":[1e999]}"""),
            J("""{"inputs":"x","raw_scores":1e999}"""),
            J("""{"inputs":"x","truncate":"\ud800"}"""),
            J("""{"inputs":{}}"""));
        PostIn(
            Protocol.HuggingFace,
            "/",
            "/",
            J("""{"inputs":["a \ud800 b"]}"""),
            J("""{"inputs":"\udc00"}"""),
            Bytes("{\"inputs\":[\"", [0xC0, 0xAF], "\"]}"),
            J("""{"inputs":"x","parameters":{"top_k":1e999}}"""),
            J("""{"inputs":"x","parameters":{"top_k":-1}}"""),
            J("""{"inputs":"x","parameters":{"top_k":99999999999}}"""),
            J("""{"inputs":"x","parameters":{"function_to_apply":"\ud800"}}"""),
            J("""{"inputs":"x","parameters":[]}"""),
            J("""{"inputs":[[]]}"""));
        Get("/v2/health/live", "/v2/health/live?x=%00");
        Get("/v2", "/v2?x=%00");
        Get("/v2/health/ready", "/v2/health/ready?x=%FF");
        GetIn(Protocol.OpenInference, "/v2/models/{name}", "/v2/models/%FF%FE", "/v2/models/" + new string('m', 8000), "/v2/models/a%20b");
        GetIn(Protocol.OpenInference, "/v2/models/{name}/ready", "/v2/models/%FF%FE/ready", "/v2/models/nope/ready");
        PostIn(
            Protocol.OpenInference,
            "/v2/models/{name}/infer",
            "/v2/models/sst2-tiny/infer",
            J("""{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["\ud800"]}]}"""),
            Bytes("{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"", [0xFF, 0xFE], "\"]}]}"),
            J("""{"inputs":[{"name":"text","shape":[1e999],"datatype":"BYTES","data":["a"]}]}"""),
            J("""{"inputs":[{"name":"text","shape":[-1],"datatype":"BYTES","data":["a"]}]}"""),
            J("""{"inputs":[{"name":"text","shape":[99999999999,99999999999],"datatype":"BYTES","data":["a"]}]}"""),
            J("""{"inputs":[{"name":"text","shape":[0],"datatype":"BYTES","data":[]}]}"""),
            J("""{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":[""" + new string('[', 60) + new string(']', 60) + """]}]}"""),
            J("""{"inputs":[{"name":"\udc00","shape":[1],"datatype":"BYTES","data":["a"]}],"outputs":[{"name":"\ud800"}]}"""),
            J("""{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["a"]}],"outputs":{}}"""));
        PostIn(Protocol.OpenInference, "/v2/models/{name}/infer", "/v2/models/%FF%FE/infer", J("""{"inputs":[]}"""));
        GetIn(Protocol.OpenInference, "/v2/models/{name}/versions/{version}", "/v2/models/sst2-tiny/versions/%FF%FE", "/v2/models/sst2-tiny/versions/" + new string('v', 8000), "/v2/models/%FF/versions/1.0.0");
        GetIn(Protocol.OpenInference, "/v2/models/{name}/versions/{version}/ready", "/v2/models/sst2-tiny/versions/%20/ready", "/v2/models/nope/versions/1.0.0/ready");
        PostIn(
            Protocol.OpenInference,
            "/v2/models/{name}/versions/{version}/infer",
            "/v2/models/sst2-tiny/versions/1.0.0/infer",
            J("""{"inputs":[{"name":"text","shape":[1],"datatype":"BYTES","data":["\ud800"]}]}"""),
            J("""{"inputs":[{"name":"text","shape":[99999999999,99999999999],"datatype":"BYTES","data":["a"]}]}"""));
        PostIn(Protocol.OpenInference, "/v2/models/{name}/versions/{version}/infer", "/v2/models/sst2-tiny/versions/%FF%FE/infer", J("""{"inputs":[]}"""));
        Post("/tokenize", "/tokenize", J("""{"text":"\ud800"}"""), Bytes("{\"text\":\"", [0xC0, 0xAF], "\"}"), J("""{"text":[]}"""));
        Post(
            "/feedback",
            "/feedback",
            J("""{"prediction_id":"ffffffffffff00000000000000000000","label":0}"""),
            J("""{"feedback":[{"prediction_id":"\udc00\ud800","label":"\ud800"}]}"""),
            J("""{"prediction_ids":["\ud800"],"labels":["\udc00"]}"""),
            J("""{"feedback":[{"prediction_id":"00000000000000000000000000000000","label":1e999}]}"""),
            Bytes("{\"prediction_id\":\"", [0xFF, 0xFE], "\",\"label\":0}"));
        Post(
            "/reference",
            "/reference",
            Bytes("{\"texts\":[\"", [0xFF, 0xFE], "\"]}"),
            J("""{"texts":["a \ud800 b"]}"""),
            J("""{"texts":["x"],"labels":["\udc00"]}"""),
            J("""{"source":"\ud800"}"""),
            J("""{"texts":["x"],"labels":[1,2]}"""));
        Post("/drift/evaluate", "/drift/evaluate", J("""{"x":"\ud800"}"""));
        return cases;
    }

    /// <summary>Mistakes any JSON endpoint can meet.</summary>
    private static IEnumerable<byte[]> Generic() =>
    [
        [],
        J("{"),
        J("""{"texts": ["""),
        J("null"),
        J("[]"),
        J("42"),
        J("\"just a string\""),
        J(new string('[', 5000) + new string(']', 5000)),
        J("{\"a\":" + new string('x', 70000) + "}"),
        [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'],
        [0xFF, 0xFE, 0x00, 0x00],
    ];

    private static byte[] J(string json) => Encoding.UTF8.GetBytes(json);

    private static byte[] Bytes(string before, byte[] raw, string after) => [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public void Every_mapped_endpoint_is_in_the_corpus()
    {
        var covered = Corpus().Select(c => $"{c.Method} {c.Route}").ToHashSet(StringComparer.Ordinal);
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText)}"))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(mapped);
        var missing = mapped.Where(m => !covered.Contains(m)).ToArray();
        Assert.True(missing.Length == 0, "Endpoints with no bad-input cases: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task No_malformed_request_gets_a_5xx_and_every_rejection_is_problem_details()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        var failures = new List<string>();
        foreach (var item in Corpus())
        {
            using var request = new HttpRequestMessage(new HttpMethod(item.Method), item.Path);
            if (item.Body is not null)
            {
                request.Content = new ByteArrayContent(item.Body);
                request.Content.Headers.ContentType = item.ContentType is null ? null : new MediaTypeHeaderValue(item.ContentType);
            }

            var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                failures.Add($"{status} for {item}: {await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400)
            {
                if (item.Protocol != Protocol.Native && response.Content.Headers.ContentType?.MediaType == "application/json")
                {
                    using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    if (!error.RootElement.TryGetProperty("error", out var message) || string.IsNullOrEmpty(message.GetString())
                        || (item.Protocol == Protocol.HuggingFace && !error.RootElement.TryGetProperty("error_type", out _)))
                    {
                        failures.Add($"{status} with an incomplete {item.Protocol} error for {item}");
                    }

                    continue;
                }

                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{status} without ProblemDetails for {item}");
                    continue;
                }

                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (problem.RootElement.GetProperty("status").GetInt32() != status || string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()))
                {
                    failures.Add($"{status} with an incomplete ProblemDetails for {item}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // And the service still serves.
        var after = await client.PostAsync("/predict", new StringContent("{\"texts\":[\"still fine\"]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>The seven 500s the issue found, each now a 4xx ProblemDetails.</summary>
    [Theory]
    [InlineData("GET", "/audit/ffffffffffff00000000000000000000", null)]
    [InlineData("POST", "/feedback", """{"prediction_id":"ffffffffffff00000000000000000000","label":0}""")]
    [InlineData("GET", "/audit?to=9999-12-31T23:59:59Z", null)]
    [InlineData("GET", "/audit?from=0001-01-01T00:00:00Z", null)]
    [InlineData("POST", "/feedback", """{"feedback":[{"prediction_id":"\udc00\ud800","label":"\ud800"}]}""")]
    [InlineData("POST", "/reference", "RAW-FFFE")]
    [InlineData("POST", "/reference", """{"texts":["a \ud800 b"]}""")]
    public async Task The_reported_500s_are_4xx_problem_details(string method, string path, string? body)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body == "RAW-FFFE" ? Bytes("{\"texts\":[\"", [0xFF, 0xFE], "\"]}") : J(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await client.SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Normalize(string? raw) => "/" + (raw ?? string.Empty).Trim('/');
}
