using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>/predict, end to end, must reproduce the model card's SST-2 dev accuracy (0.8119).</summary>
public sealed class AccuracyTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const double ModelCardAccuracy = 0.8119;

    [Fact]
    public async Task Predict_accuracy_on_all_of_sst2_dev_equals_the_model_card_within_a_tenth_of_a_point()
    {
        var client = factory.CreateClient();
        var dev = TestPaths.ReadTsv(TestPaths.Sst2Dev);
        Assert.Equal(872, dev.Count);
        var correct = 0;
        foreach (var chunk in dev.Chunk(64))
        {
            var response = await client.PostAsJsonAsync("/predict", new { texts = chunk.Select(r => r.Text).ToArray() });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var labels = body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()).ToArray();
            correct += chunk.Zip(labels).Count(pair => (pair.First.Label == "1" ? "POSITIVE" : "NEGATIVE") == pair.Second);
        }

        var accuracy = (double)correct / dev.Count;
        Assert.True(Math.Abs(accuracy - ModelCardAccuracy) <= 0.001, string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:F4} ({correct}/{dev.Count}) vs model card {ModelCardAccuracy}"));
    }
}
