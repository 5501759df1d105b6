using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelMonitor.Service.Tests.Protocols;

/// <summary>
/// The Open Inference Protocol (KServe v2) REST examples, each adapted to this model: its input is a
/// BYTES tensor of texts, its outputs FP32 "probabilities" (one column per label) and BYTES "label".
/// </summary>
public sealed class OpenInferenceProtocolTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Model = "sst2-tiny";

    /// <summary>The model card's version, which the metadata lists and the versioned routes take.</summary>
    private const string Version = "1.0.0";

    private const string Unversioned = $"/v2/models/{Model}";
    private const string Versioned = $"/v2/models/{Model}/versions/{Version}";
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task Server_metadata_names_the_server_its_version_and_no_extensions()
    {
        var metadata = await GetJson("/v2", HttpStatusCode.OK);
        Assert.Equal("modelmonitor", metadata.GetProperty("name").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", metadata.GetProperty("version").GetString());
        Assert.Equal(0, metadata.GetProperty("extensions").GetArrayLength());
    }

    [Theory]
    [InlineData(Unversioned)]
    [InlineData(Versioned)]
    public async Task Server_live_and_ready_answer_200_with_their_verdicts(string modelRoute)
    {
        Assert.True((await GetJson("/v2/health/live", HttpStatusCode.OK)).GetProperty("live").GetBoolean());
        Assert.True((await GetJson("/v2/health/ready", HttpStatusCode.OK)).GetProperty("ready").GetBoolean());
        var model = await GetJson($"{modelRoute}/ready", HttpStatusCode.OK);
        Assert.Equal(Model, model.GetProperty("name").GetString());
        Assert.True(model.GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData(Unversioned)]
    [InlineData(Versioned)]
    public async Task Model_metadata_names_the_tensors_with_the_models_label_count(string modelRoute)
    {
        var metadata = await GetJson(modelRoute, HttpStatusCode.OK);
        Assert.Equal(Model, metadata.GetProperty("name").GetString());
        Assert.Equal([Version], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
        Assert.Equal("""[{"name":"text","datatype":"BYTES","shape":[-1]}]""", metadata.GetProperty("inputs").GetRawText());
        Assert.Equal("""[{"name":"probabilities","datatype":"FP32","shape":[-1,2]},{"name":"label","datatype":"BYTES","shape":[-1]}]""", metadata.GetProperty("outputs").GetRawText());
    }

    [Theory]
    [InlineData("/v2/models/mymodel")]
    [InlineData("/v2/models/mymodel/ready")]
    [InlineData($"/v2/models/mymodel/versions/{Version}")]
    [InlineData($"/v2/models/mymodel/versions/{Version}/ready")]
    public async Task An_unknown_model_is_a_404_error(string path)
    {
        var response = await client.GetAsync(path);
        await AssertError(response, HttpStatusCode.NotFound, "'mymodel' is not served");
    }

    /// <summary>The specification's versioned paths (v2/models/my_model/versions/v10): a version the model does not have is a 404 error.</summary>
    [Theory]
    [InlineData($"/v2/models/{Model}/versions/v10")]
    [InlineData($"/v2/models/{Model}/versions/v10/ready")]
    public async Task An_unknown_version_is_a_404_error(string path)
    {
        var response = await client.GetAsync(path);
        await AssertError(response, HttpStatusCode.NotFound, $"has no version 'v10'; its version is '{Version}'");
    }

    [Fact]
    public async Task Inference_on_an_unknown_version_is_a_404_error_and_predicts_nothing()
    {
        var response = await client.PostAsync($"/v2/models/{Model}/versions/v10/infer", new StringContent("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.NotFound, "has no version 'v10'");
        Assert.Empty(ProtocolAssertions.PredictionIds(response));
    }

    /// <summary>The specification's inference example: id "42", a request naming one output, the response echoing the id.</summary>
    [Theory]
    [InlineData(Unversioned)]
    [InlineData(Versioned)]
    public async Task Infer_answers_the_requested_output_with_the_request_id(string modelRoute)
    {
        var response = await Infer(modelRoute, """
            {
              "id" : "42",
              "inputs" : [
                { "name" : "text", "shape" : [ 2 ], "datatype" : "BYTES", "data" : [ "I love this product!", "This is terrible." ] }
              ],
              "outputs" : [ { "name" : "probabilities" } ]
            }
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("42", root.GetProperty("id").GetString());
        Assert.Equal(Model, root.GetProperty("model_name").GetString());
        Assert.Equal(Version, root.GetProperty("model_version").GetString());
        var output = Assert.Single(root.GetProperty("outputs").EnumerateArray());
        Assert.Equal("probabilities", output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal([2, 2], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var data = output.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()).ToArray();

        // Row-major: each text's probabilities in the model's label order (NEGATIVE, POSITIVE), as /predict gives them.
        var native = await ProtocolAssertions.NativeScoresAsync(client, "I love this product!", "This is terrible.");
        double[] expected = [native[0]["NEGATIVE"], native[0]["POSITIVE"], native[1]["NEGATIVE"], native[1]["POSITIVE"]];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], data[i], 1e-6);
        }

        await ProtocolAssertions.AssertAuditedAndMonitoredAsync(client, ProtocolAssertions.PredictionIds(response), ["I love this product!", "This is terrible."]);
    }

    /// <summary>The specification's tensor data may be nested ([[1, 2], [4, 5]]) or flat; without "outputs", every output is returned.</summary>
    [Theory]
    [InlineData(Unversioned)]
    [InlineData(Versioned)]
    public async Task Infer_takes_nested_tensor_data_and_returns_every_output_without_an_outputs_list(string modelRoute)
    {
        var response = await Infer(modelRoute, """
            {"inputs": [{"name": "text", "shape": [2, 1], "datatype": "BYTES", "data": [["This is terrible."], ["I love this product!"]]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.TryGetProperty("id", out _));
        var outputs = body.RootElement.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal(["probabilities", "label"], outputs.Select(o => o.GetProperty("name").GetString()));
        Assert.Equal("BYTES", outputs[1].GetProperty("datatype").GetString());
        Assert.Equal([2], outputs[1].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(["NEGATIVE", "POSITIVE"], outputs[1].GetProperty("data").EnumerateArray().Select(d => d.GetString()));
    }

    /// <summary>The specification's error response: a 4xx status with {"error": $string}.</summary>
    [Theory]
    [InlineData("""{"inputs": [{"name": "text", "shape": [3], "datatype": "BYTES", "data": ["a"]}]}""", "shape [3] holds 3")]
    [InlineData("""{"inputs": [{"name": "input0", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", "must be \"text\"")]
    [InlineData("""{"inputs": [{"name": "text", "shape": [2, 2], "datatype": "UINT32", "data": [1, 2, 3, 4]}]}""", "must be \"BYTES\"")]
    [InlineData("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": [1]}]}""", "must be a string")]
    [InlineData("""{"inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}], "outputs": [{"name": "output0"}]}""", "Unknown output 'output0'")]
    [InlineData("""{"inputs": []}""", "one tensor")]
    [InlineData("""{"id": 42, "inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": ["a"]}]}""", "'id' must be a string")]
    [InlineData("{", "not valid JSON")]
    public async Task A_bad_inference_request_is_a_400_error(string body, string message)
    {
        await AssertError(await Infer(Unversioned, body), HttpStatusCode.BadRequest, message);
        await AssertError(await Infer(Versioned, body), HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("/v2/models/mymodel/infer")]
    [InlineData($"/v2/models/mymodel/versions/{Version}/infer")]
    public async Task Inference_on_an_unknown_model_is_a_404_error(string path)
    {
        var response = await client.PostAsync(path, new StringContent("""{"inputs": []}""", Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.NotFound, "'mymodel' is not served");
    }

    private Task<HttpResponseMessage> Infer(string modelRoute, string body) =>
        client.PostAsync($"{modelRoute}/infer", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> GetJson(string path, HttpStatusCode status)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
