using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Issue 14, item 8: JSON a person can read, on the real model.</summary>
public sealed class ReadableJsonTests
{
    /// <summary>A statistic: a number, or "Infinity" (normed Wasserstein against a constant reference feature).</summary>
    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetDouble();

    [Fact]
    public async Task The_window_is_named_plainly_and_each_headline_effect_size_is_the_one_that_decided()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var dev = MonitoringClient.Dev;
        var ids = await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(300).Select(d => d.Text));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var window = drift.GetProperty("window");
        Assert.Equal(300, window.GetProperty("predictions_in_window").GetInt32());
        Assert.Equal(1000, window.GetProperty("window_capacity").GetInt32());
        Assert.False(window.TryGetProperty("size", out _));

        foreach (var feature in MonitoringClient.Features(drift))
        {
            var tests = feature.GetProperty("tests").EnumerateArray().Where(t => t.GetProperty("threshold").ValueKind == JsonValueKind.Number).ToArray();
            var decisive = tests.MaxBy(t => Number(t.GetProperty("statistic")) / t.GetProperty("threshold").GetDouble());
            Assert.Equal(decisive.GetProperty("test").GetString(), feature.GetProperty("effect_measure").GetString());
            Assert.Equal(Number(decisive.GetProperty("statistic")), Number(feature.GetProperty("effect_size")));
            if (feature.GetProperty("verdict").GetString() == "drift")
            {
                Assert.True(Number(feature.GetProperty("effect_size")) >= feature.GetProperty("threshold").GetDouble());
            }
        }

        // /report: accuracy over the period's labelled predictions, each once however many windows held it.
        await MonitoringClient.FeedbackAsync(client, ids.Take(100).Select((id, i) => (id, i < 70 ? "0" : "1")));
        await MonitoringClient.EvaluateAsync(client);
        await MonitoringClient.EvaluateAsync(client);
        using var report = JsonDocument.Parse(await client.GetStringAsync("/report"));
        var performance = report.RootElement.GetProperty("performance");
        Assert.Equal(100, performance.GetProperty("labelled_predictions").GetInt64());
        Assert.InRange(performance.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.True(performance.GetProperty("accuracy_low").GetDouble() <= performance.GetProperty("accuracy").GetDouble());
    }
}
