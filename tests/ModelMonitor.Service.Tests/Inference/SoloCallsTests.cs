using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Inference;

public sealed class SoloCallsTests
{
    [Fact]
    public async Task A_lone_request_runs_alone_on_every_core_and_gets_the_answer_of_the_shared_split()
    {
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(4).Select(r => r.Text).ToArray();
        using var solo = new ConfiguredServiceFactory(new() { ["Batching:SoloCalls"] = "true" });
        using var split = new ConfiguredServiceFactory([]); // off by default
        var soloClient = solo.CreateClient();
        var splitClient = split.CreateClient();
        var soloHost = solo.Services.GetRequiredService<ModelHost>();
        var splitHost = split.Services.GetRequiredService<ModelHost>();

        // The split gives each of the 2 workers its share of the cores; only a machine with more
        // cores than that share has a solo session to offer.
        var cores = Environment.ProcessorCount;
        Assert.Equal(cores > 1, soloHost.Classifier.SoloSession is not null);
        Assert.Null(splitHost.Classifier.SoloSession);

        foreach (var text in texts)
        {
            // One request at a time: each call starts with no other running and nothing waiting.
            var alone = await ScoreAsync(await soloClient.PostAsJsonAsync("/predict", new { texts = new[] { text } }));
            var shared = await ScoreAsync(await splitClient.PostAsJsonAsync("/predict", new { texts = new[] { text } }));
            Assert.Equal(shared, alone, 1e-5);
        }

        Assert.Equal(cores > 1 ? texts.Length : 0, solo.Services.GetRequiredService<ServiceMetrics>().SoloCalls.Value);
        Assert.Equal(0, split.Services.GetRequiredService<ServiceMetrics>().SoloCalls.Value);
    }

    [Fact]
    public async Task Only_a_call_planned_with_nothing_else_waiting_runs_alone()
    {
        // One worker of one thread, one text per call: a request of 8 texts makes 8 calls, one after
        // another, so none runs beside another. The first 7 are planned while texts still wait;
        // only the last finds nothing waiting.
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(8).Select(r => r.Text).ToArray();
        using var factory = new ConfiguredServiceFactory(new()
        {
            ["Batching:SoloCalls"] = "true",
            ["Batching:Workers"] = "1",
            ["OnnxRuntime:IntraOpThreads"] = "1",
            ["Batching:MaxBatchTexts"] = "1",
        });
        var client = factory.CreateClient();
        var metrics = factory.Services.GetRequiredService<ServiceMetrics>();

        var answer = await client.PostAsJsonAsync("/predict", new { texts });

        answer.EnsureSuccessStatusCode();
        Assert.Equal(texts.Length, metrics.BatchSize.Count);
        Assert.Equal(Environment.ProcessorCount > 1 ? 1 : 0, metrics.SoloCalls.Value);
    }

    private static async Task<double> ScoreAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("predictions")[0].GetProperty("scores").GetProperty("POSITIVE").GetDouble();
    }
}
