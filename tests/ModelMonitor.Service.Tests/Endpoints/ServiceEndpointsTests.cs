using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelMonitor.Service.Tests.Endpoints;

public sealed class ServiceEndpointsTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Liveness_answers_ok()
    {
        var response = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("live", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_is_ok_once_the_model_is_loaded_and_warmed_up()
    {
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ready", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_describes_the_service_model_and_runtime()
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync("/"));
        var root = body.RootElement;
        Assert.Equal("ModelMonitor", root.GetProperty("service").GetString());
        var model = root.GetProperty("model");
        Assert.Equal("sst2-tiny", model.GetProperty("name").GetString());
        Assert.Equal(["NEGATIVE", "POSITIVE"], model.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(512, model.GetProperty("max_sequence_length").GetInt32());
        Assert.Contains(model.GetProperty("inputs").EnumerateArray(), i => i.GetString()!.StartsWith("input_ids", StringComparison.Ordinal));
        Assert.Equal(Testing.PinnedOnnxRuntime.Version, root.GetProperty("runtime").GetProperty("onnxruntime").GetString());
        Assert.Equal(64, root.GetProperty("limits").GetProperty("max_texts").GetInt32());
        Assert.Contains(root.GetProperty("endpoints").EnumerateArray(), e => e.GetString() == "POST /predict");
    }

    [Fact]
    public async Task Tokenize_returns_the_reference_ids_and_their_tokens()
    {
        var response = await client.PostAsJsonAsync("/tokenize", new { text = "unflinchingly bleak and desperate " });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([101, 4895, 10258, 2378, 8450, 2135, 21657, 1998, 7143, 102], body.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal("##fl", body.RootElement.GetProperty("tokens")[2].GetString());
        Assert.Equal(10, body.RootElement.GetProperty("token_count").GetInt32());
    }
}
