using System.Net.Http.Json;
using System.Text.Json;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// The monitor applies every change through one writer: under concurrent traffic each prediction is
/// either in the live reference or judged against it, never both and never neither; a re-baseline
/// and the predictions around it see each other whole.
/// </summary>
public sealed class SingleWriterTests
{
    private static async Task PredictConcurrentlyAsync(HttpClient client, string[] texts, int clients)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < texts.Length)
            {
                // One or two texts per request, so requests of different sizes interleave.
                var batch = texts.Skip(i).Take(1).ToArray();
                (await client.PostAsJsonAsync("/predict", new { texts = batch })).EnsureSuccessStatusCode();
            }
        }));
    }

    private static long CurrentCount(JsonElement drift, string feature) =>
        MonitoringClient.Features(drift).Single(f => f.GetProperty("feature").GetString() == feature).GetProperty("current_count").GetInt64();

    [Fact]
    public async Task Concurrent_predictions_are_split_exactly_between_the_live_reference_and_the_judged_window()
    {
        const int ReferenceSize = 60;
        var texts = MonitoringClient.Dev.Take(300).Select(d => d.Text).ToArray();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", $"{ReferenceSize}"), ("Drift:MinWindowSize", "10")));
        var client = factory.CreateClient();
        await PredictConcurrentlyAsync(client, texts, clients: 24);

        var drift = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal(ReferenceSize, drift.GetProperty("reference").GetProperty("count").GetInt32());
        Assert.Equal(texts.Length, drift.GetProperty("window").GetProperty("predictions_in_window").GetInt32());

        // Input features are judged on the window minus the predictions that made the reference.
        Assert.Equal(texts.Length - ReferenceSize, CurrentCount(drift, "char_length"));
    }

    [Fact]
    public async Task A_rebaseline_during_traffic_judges_exactly_the_predictions_after_it()
    {
        var texts = MonitoringClient.Dev.Take(400).Select(d => d.Text).ToArray();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "50"), ("Drift:MinWindowSize", "10")));
        var client = factory.CreateClient();
        await MonitoringClient.PredictAsync(client, texts.Take(150));

        // Re-baseline on the window while 24 clients keep predicting.
        var traffic = PredictConcurrentlyAsync(client, texts[150..], clients: 24);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reference") { Content = JsonContent.Create(new { source = "window" }) };
        request.Headers.Add("X-Api-Key", MonitoringClient.AdminKey);
        var rebaselined = await client.SendAsync(request);
        rebaselined.EnsureSuccessStatusCode();
        using var reference = JsonDocument.Parse(await rebaselined.Content.ReadAsStringAsync());
        var referenceCount = reference.RootElement.GetProperty("count").GetInt32();
        await traffic;

        var drift = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal(referenceCount, drift.GetProperty("reference").GetProperty("count").GetInt32());
        Assert.Equal(texts.Length - referenceCount, CurrentCount(drift, "char_length"));
    }
}
