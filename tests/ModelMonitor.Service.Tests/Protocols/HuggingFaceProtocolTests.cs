using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Protocols;

/// <summary>Hugging Face's text-classification shapes: Inference Endpoints on POST /, text-embeddings-inference on POST /predict.</summary>
public sealed class HuggingFaceProtocolTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    /// <summary>The model's reference logits (NEGATIVE, POSITIVE) for the first two reference texts.</summary>
    private static readonly (string Text, double[] Logits)[] Reference = ReadReference();

    [Fact]
    public async Task Inference_endpoints_answer_one_string_with_an_outer_list_of_labels_highest_first()
    {
        var response = await client.PostAsJsonAsync("/", new { inputs = "I love this product!" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answers = await Answers(response);
        var answer = Assert.Single(answers);
        var native = (await ProtocolAssertions.NativeScoresAsync(client, "I love this product!"))[0];
        Assert.Equal(["POSITIVE", "NEGATIVE"], answer.Select(a => a.Label));
        Assert.All(answer, a => Assert.Equal(native[a.Label], a.Score, 1e-12));
        await ProtocolAssertions.AssertAuditedAndMonitoredAsync(client, ProtocolAssertions.PredictionIds(response), ["I love this product!"]);
    }

    [Fact]
    public async Task Inference_endpoints_answer_a_list_with_one_list_per_text_in_order()
    {
        string[] texts = ["This is terrible.", "I love this product!"];
        var response = await client.PostAsJsonAsync("/", new { inputs = texts });
        var answers = await Answers(response);
        Assert.Equal(2, answers.Length);
        Assert.Equal("NEGATIVE", answers[0][0].Label);
        Assert.Equal("POSITIVE", answers[1][0].Label);
        await ProtocolAssertions.AssertAuditedAndMonitoredAsync(client, ProtocolAssertions.PredictionIds(response), texts);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("sigmoid")]
    public async Task Function_to_apply_scores_the_reference_logits(string function)
    {
        var (text, logits) = Reference[0];
        var answer = (await Answers(await client.PostAsJsonAsync("/", new { inputs = text, parameters = new { function_to_apply = function } })))[0];
        double Expected(double logit) => function == "none" ? logit : 1 / (1 + Math.Exp(-logit));
        Assert.Equal(Expected(logits[0]), answer.Single(a => a.Label == "NEGATIVE").Score, 1e-4);
        Assert.Equal(Expected(logits[1]), answer.Single(a => a.Label == "POSITIVE").Score, 1e-4);
    }

    [Fact]
    public async Task Top_k_keeps_the_k_highest_labels()
    {
        var answer = (await Answers(await client.PostAsJsonAsync("/", new { inputs = "This is terrible.", parameters = new { top_k = 1 } })))[0];
        Assert.Equal("NEGATIVE", Assert.Single(answer).Label);
    }

    [Theory]
    [InlineData("""{"inputs": 5}""", 400, "'inputs' must be a string")]
    [InlineData("""{"inputs": []}""", 400, "at least one text")]
    [InlineData("""{"texts": ["x"]}""", 400, "'inputs' is required")]
    [InlineData("""{"inputs": "x", "parameters": {"top_k": 0}}""", 400, "top_k")]
    [InlineData("""{"inputs": "x", "parameters": {"function_to_apply": "cube"}}""", 400, "function_to_apply")]
    [InlineData("""{"inputs": "x", "parameters": 3}""", 400, "'parameters' must be an object")]
    [InlineData("{", 400, "not valid JSON")]
    public async Task Inference_endpoints_refusals_use_the_hugging_face_error_body(string body, int status, string message)
    {
        var response = await client.PostAsync("/", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await AssertHuggingFaceError(response, status, "validation", message);
    }

    [Fact]
    public async Task Tei_answers_one_string_with_a_flat_list_and_a_list_with_lists()
    {
        var single = await client.PostAsJsonAsync("/predict", new { inputs = "I love this product!" });
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        using (var body = JsonDocument.Parse(await single.Content.ReadAsStringAsync()))
        {
            var items = body.RootElement.EnumerateArray().ToArray();
            Assert.Equal(2, items.Length);
            Assert.Equal("POSITIVE", items[0].GetProperty("label").GetString());
        }

        await ProtocolAssertions.AssertAuditedAndMonitoredAsync(client, ProtocolAssertions.PredictionIds(single), ["I love this product!"]);
        var list = await Answers(await client.PostAsJsonAsync("/predict", new { inputs = new[] { "I love this product!", "This is terrible." } }));
        Assert.Equal(["POSITIVE", "NEGATIVE"], list.Select(a => a[0].Label));
    }

    [Fact]
    public async Task Tei_raw_scores_are_the_reference_logits()
    {
        var (text, logits) = Reference[1];
        var answer = (await Answers(await client.PostAsJsonAsync("/predict", new { inputs = new[] { text }, raw_scores = true })))[0];
        Assert.Equal(logits[0], answer.Single(a => a.Label == "NEGATIVE").Score, 1e-4);
        Assert.Equal(logits[1], answer.Single(a => a.Label == "POSITIVE").Score, 1e-4);
    }

    [Fact]
    public async Task Tei_refuses_an_over_long_text_naming_the_limit_unless_truncate_is_true()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 600));
        var refused = await client.PostAsJsonAsync("/predict", new { inputs = text, truncate = false });
        await AssertHuggingFaceError(refused, 413, "validation", "at most 512");

        var cut = await client.PostAsJsonAsync("/predict", new { inputs = text, truncate = true });
        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
    }

    [Theory]
    [InlineData("""{"inputs": "x", "texts": ["x"]}""", "both")]
    [InlineData("""{"text": "x"}""", "'texts' is required")]
    public async Task A_predict_body_with_both_shapes_or_neither_is_a_400_problem(string body, string message)
    {
        var response = await client.PostAsync("/predict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tei_refusals_use_the_hugging_face_error_body()
    {
        var response = await client.PostAsync("/predict", new StringContent("""{"inputs": "x", "raw_scores": "yes"}""", System.Text.Encoding.UTF8, "application/json"));
        await AssertHuggingFaceError(response, 400, "validation", "'raw_scores' must be a boolean");
    }

    private static async Task AssertHuggingFaceError(HttpResponseMessage response, int status, string type, string message)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, body.RootElement.GetProperty("error_type").GetString());
        Assert.Contains(message, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(string Label, double Score)[][]> Answers(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.EnumerateArray()
            .Select(list => list.EnumerateArray().Select(e => (e.GetProperty("label").GetString()!, e.GetProperty("score").GetDouble())).ToArray())
            .ToArray();
    }

    private static (string Text, double[] Logits)[] ReadReference()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Sst2TinyModel, "reference.json")));
        return reference.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("logits").EnumerateArray().Select(l => l.GetDouble()).ToArray()))
            .ToArray();
    }
}
