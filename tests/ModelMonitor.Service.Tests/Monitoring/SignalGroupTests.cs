using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Issue 14, item 4, on the real model: severity counts independent signals, not correlated features.</summary>
public sealed class SignalGroupTests
{
    private static string[][] Groups(JsonElement drift) =>
        [.. drift.GetProperty("reference").GetProperty("signal_groups").EnumerateArray().Select(g => g.EnumerateArray().Select(f => f.GetString()!).ToArray())];

    [Fact]
    public async Task On_the_sst2_train_reference_length_features_are_one_group_and_the_two_label_scores_are_one_group()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
        var groups = Groups(drift.RootElement);

        Assert.Contains(groups, g => g.Contains("char_length") && g.Contains("token_count"));
        Assert.Contains(groups, g => g.Order().SequenceEqual(["confidence", "entropy", "margin"]));
        Assert.Contains(groups, g => g.SequenceEqual(["predicted_label"]));
        Assert.Equal(12, groups.Sum(g => g.Length));
    }

    [Fact]
    public async Task The_longest_quarter_of_sst2_dev_is_an_input_shift_graded_below_high_and_banking77_stays_high()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var longest = MonitoringClient.Dev.Select(d => d.Text).OrderByDescending(t => t.Length).Take(MonitoringClient.Dev.Count / 4).ToArray();
        await MonitoringClient.PredictAsync(client, longest);
        var drift = await MonitoringClient.EvaluateAsync(client);

        var input = drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "input_drift");
        Assert.Contains("char_length", input.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(input.GetProperty("severity").GetString(), new[] { "low", "medium" });
        Assert.Contains(drift.GetProperty("severity").GetString(), new[] { "low", "medium" });

        using var bankingFactory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var banking = bankingFactory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(banking);
        await MonitoringClient.PredictAsync(banking, MonitoringClient.Banking.Select(d => d.Text));
        var shifted = await MonitoringClient.EvaluateAsync(banking);
        Assert.Equal("high", shifted.GetProperty("severity").GetString());
    }
}
