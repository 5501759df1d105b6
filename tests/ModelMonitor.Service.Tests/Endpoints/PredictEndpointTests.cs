using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Endpoints;

public sealed class PredictEndpointTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Predict_returns_label_scores_and_token_facts_for_each_text()
    {
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "I love this product!", "This is terrible." } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;

        var predictions = root.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(2, predictions.Length);
        Assert.Equal("POSITIVE", predictions[0].GetProperty("label").GetString());
        Assert.Equal("NEGATIVE", predictions[1].GetProperty("label").GetString());
        Assert.Equal(7, predictions[0].GetProperty("token_count").GetInt32());
        Assert.False(predictions[0].GetProperty("truncated").GetBoolean());
        var scores = predictions[0].GetProperty("scores");
        Assert.Equal(1.0, scores.GetProperty("NEGATIVE").GetDouble() + scores.GetProperty("POSITIVE").GetDouble(), 1e-12);
        Assert.Equal(scores.GetProperty("POSITIVE").GetDouble(), predictions[0].GetProperty("score").GetDouble());

        Assert.Equal("sst2-tiny", root.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("1.0.0", root.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("ab88a6317a030e1be2ca478ff9f3edb5b9d7f12d44dfd0bcfddc26fc1be33b73", root.GetProperty("model").GetProperty("sha256").GetString());
        Assert.EndsWith("Z", root.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), root.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Scores_are_the_softmax_of_the_reference_logits()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Sst2TinyModel, "reference.json")));
        var cases = reference.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        var texts = cases.Select(c => c.GetProperty("text").GetString()!).ToArray();
        var response = await client.PostAsJsonAsync("/predict", new { texts });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var predictions = body.RootElement.GetProperty("predictions").EnumerateArray().ToArray();
        for (var i = 0; i < cases.Length; i++)
        {
            var logits = cases[i].GetProperty("logits").EnumerateArray().Select(l => l.GetDouble()).ToArray();
            var expectedPositive = 1 / (1 + Math.Exp(logits[0] - logits[1]));
            Assert.Equal(expectedPositive, predictions[i].GetProperty("scores").GetProperty("POSITIVE").GetDouble(), 1e-4);
            Assert.Equal(cases[i].GetProperty("input_ids").GetArrayLength(), predictions[i].GetProperty("token_count").GetInt32());
        }
    }

    [Fact]
    public async Task Caller_request_id_is_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { texts = new[] { "fine" } }) };
        request.Headers.Add("X-Request-Id", "client-abc-123");
        var response = await client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("client-abc-123", body.RootElement.GetProperty("request_id").GetString());
        Assert.Equal("client-abc-123", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Empty_string_is_a_valid_text()
    {
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetProperty("predictions")[0].GetProperty("token_count").GetInt32());
    }

    [Fact]
    public async Task Text_longer_than_the_model_maximum_is_truncated_and_flagged()
    {
        var text = string.Join(' ', Enumerable.Repeat("wonderful", 700));
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { text } });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var prediction = body.RootElement.GetProperty("predictions")[0];
        Assert.Equal(512, prediction.GetProperty("token_count").GetInt32());
        Assert.True(prediction.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Sixty_four_texts_in_one_request_are_answered_in_order()
    {
        var dev = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(64).Select(r => r.Text).ToArray();
        var response = await client.PostAsJsonAsync("/predict", new { texts = dev });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var batched = body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToArray();
        var single = new List<string?>();
        foreach (var text in dev.Take(8))
        {
            var one = await client.PostAsJsonAsync("/predict", new { texts = new[] { text } });
            using var oneBody = JsonDocument.Parse(await one.Content.ReadAsStringAsync());
            single.Add(oneBody.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        }

        Assert.Equal(single, batched.Take(8));
    }
}
