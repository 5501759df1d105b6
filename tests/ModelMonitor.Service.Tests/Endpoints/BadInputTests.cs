using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// Every client mistake gets a ProblemDetails with the right 4xx status and a message naming the
/// problem, never a 500, and the service keeps serving afterwards.
/// </summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.SmallLimits>
{
    private readonly HttpClient client;

    public BadInputTests(SmallLimits factory) => client = factory.CreateClient();

    /// <summary>Small limits, so the oversize cases stay small.</summary>
    public sealed class SmallLimits() : ServiceFactory(new Dictionary<string, string?>
    {
        ["Predict:MaxTexts"] = "4",
        ["Predict:MaxTextChars"] = "100",
        ["Predict:MaxBodyBytes"] = "2048",
    });

    public static TheoryData<string, string, HttpStatusCode, string> Cases => new()
    {
        { "{\"texts\": [\"unterminated", "application/json", HttpStatusCode.BadRequest, "not valid JSON" },
        { "not json at all", "application/json", HttpStatusCode.BadRequest, "not valid JSON" },
        { "{\"texts\": [\"fine\"]}", "text/plain", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "{\"texts\": [\"fine\"]}", "application/xml", HttpStatusCode.UnsupportedMediaType, "application/xml" },
        { "", "application/json", HttpStatusCode.BadRequest, "empty" },
        { "{}", "application/json", HttpStatusCode.BadRequest, "'texts' is required" },
        { "{\"texts\": null}", "application/json", HttpStatusCode.BadRequest, "'texts' is required" },
        { "{\"texts\": []}", "application/json", HttpStatusCode.BadRequest, "at least one text" },
        { "{\"texts\": \"just a string\"}", "application/json", HttpStatusCode.BadRequest, "must be an array" },
        { "[\"a\", \"b\"]", "application/json", HttpStatusCode.BadRequest, "JSON object" },
        { "{\"texts\": [\"ok\", null]}", "application/json", HttpStatusCode.BadRequest, "texts[1] must be a string; got null" },
        { "{\"texts\": [\"ok\", 42]}", "application/json", HttpStatusCode.BadRequest, "texts[1] must be a string; got a number" },
        { "{\"texts\": [{\"text\": \"x\"}]}", "application/json", HttpStatusCode.BadRequest, "texts[0] must be a string; got an object" },
        { "{\"texts\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", "application/json", HttpStatusCode.RequestEntityTooLarge, "at most 4" },
        { "{\"texts\": [\"" + new string('x', 101) + "\"]}", "application/json", HttpStatusCode.RequestEntityTooLarge, "texts[0] has 101 characters" },
        { "{\"texts\": [\"" + new string('x', 3000) + "\"]}", "application/json", HttpStatusCode.RequestEntityTooLarge, "at most 2048" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_predict_request_gets_problem_details_naming_the_problem(string body, string contentType, HttpStatusCode expected, string mentions)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync("/predict", content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(mentions, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("request_id").GetString()));

        var after = await client.PostAsJsonAsync("/predict", new { texts = new[] { "still serving" } });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Missing_content_type_is_unsupported_media_type()
    {
        using var content = new ByteArrayContent("{\"texts\": [\"x\"]}"u8.ToArray());
        var response = await client.PostAsync("/predict", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_chunked_body_without_content_length_is_too_large()
    {
        var payload = "{\"texts\": [\"" + new string('y', 5000) + "\"]}";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        var response = await client.PostAsync("/predict", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_bad_request()
    {
        using var content = new ByteArrayContent([.. "{\"texts\": [\""u8, 0xC3, 0x28, .. "\"]}"u8]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/predict", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_method_is_405_with_problem_details()
    {
        var response = await client.GetAsync("/predict");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_path_is_404_with_problem_details()
    {
        var response = await client.GetAsync("/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "'text' is required")]
    [InlineData("{\"text\": 5}", HttpStatusCode.BadRequest, "text must be a string")]
    [InlineData("{\"text\": null}", HttpStatusCode.BadRequest, "text must be a string; got null")]
    public async Task Bad_tokenize_request_gets_problem_details(string body, HttpStatusCode expected, string mentions)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/tokenize", content);
        Assert.Equal(expected, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(mentions, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
