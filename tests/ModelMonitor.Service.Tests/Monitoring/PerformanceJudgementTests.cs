using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// Issue 14, items 5 and 6, on the real model with SST-2: where the baseline comes from, and
/// performance judged with its sampling error (small windows, prior shift).
/// </summary>
public sealed class PerformanceJudgementTests
{
    private static async Task<(string Id, string Label)[]> PredictWithLabelsAsync(HttpClient client, IEnumerable<string> texts)
    {
        var results = new List<(string, string)>();
        foreach (var chunk in texts.Chunk(32))
        {
            var response = await client.PostAsJsonAsync("/predict", new { texts = chunk });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            results.AddRange(body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => (p.GetProperty("id").GetString()!, p.GetProperty("label").GetString()!)));
        }

        return [.. results];
    }

    private static string Other(string label) => label == "POSITIVE" ? "NEGATIVE" : "POSITIVE";

    [Fact]
    public async Task A_configured_baseline_wins_over_the_train_references_own_accuracy_and_sst2_dev_is_not_critical()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null, ("Drift:BaselineAccuracy", "0.81")));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var dev = MonitoringClient.Dev;
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var reference = drift.GetProperty("reference");
        Assert.True(reference.GetProperty("performance").GetProperty("accuracy").GetDouble() > 0.9);
        var baseline = drift.GetProperty("evaluation").GetProperty("baseline");
        Assert.Equal(("configured", 0.81), (baseline.GetProperty("source").GetString(), baseline.GetProperty("accuracy").GetDouble()));
        Assert.NotEqual("critical", drift.GetProperty("severity").GetString());
        Assert.DoesNotContain(drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray(), b => b.GetProperty("type").GetString() == "performance");
    }

    [Fact]
    public async Task Without_a_configured_baseline_the_reference_baseline_says_it_is_from_the_reference_and_why_that_misleads()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        using var body = JsonDocument.Parse(await client.GetStringAsync("/drift"));
        var baseline = body.RootElement.GetProperty("reference").GetProperty("baseline");
        Assert.Equal("reference", baseline.GetProperty("source").GetString());
        Assert.Contains("training data", baseline.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_labelled_baseline_set_is_scored_and_used_and_sst2_dev_is_not_critical_against_it()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null, ("Drift:BaselinePath", TestPaths.Sst2Dev)));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var dev = MonitoringClient.Dev;
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var baseline = drift.GetProperty("evaluation").GetProperty("baseline");
        Assert.Equal("baseline_set", baseline.GetProperty("source").GetString());
        Assert.Equal(708.0 / 872, baseline.GetProperty("accuracy").GetDouble(), 9);
        Assert.NotEqual("critical", drift.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Thirty_labels_at_0_633_against_0_81_are_not_critical_and_the_interval_is_reported()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null, ("Drift:BaselineAccuracy", "0.81")));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var predictions = await PredictWithLabelsAsync(client, MonitoringClient.Dev.Select(d => d.Text));

        // 19 of 30 labels agree with the model: accuracy 0.633, 17.7 points below the baseline.
        await MonitoringClient.FeedbackAsync(client, predictions.Take(30).Select((p, i) => (p.Id, i < 19 ? p.Label : Other(p.Label))));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var evaluation = drift.GetProperty("evaluation");
        Assert.Equal(19.0 / 30, evaluation.GetProperty("performance").GetProperty("accuracy").GetDouble(), 9);
        var accuracy = evaluation.GetProperty("performance_tests").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "accuracy");
        Assert.Equal(0.4551, accuracy.GetProperty("low").GetDouble(), 3);
        Assert.Equal(0.7813, accuracy.GetProperty("high").GetDouble(), 3);
        Assert.Equal(0.76, accuracy.GetProperty("allowed_level").GetDouble(), 9);
        Assert.True(accuracy.GetProperty("p_value").GetDouble() > 0.05);
        Assert.NotEqual("critical", drift.GetProperty("severity").GetString());

        // The same accuracy on 300 labels is no longer chance: critical.
        await MonitoringClient.FeedbackAsync(client, predictions.Take(300).Select((p, i) => (p.Id, i % 30 < 19 ? p.Label : Other(p.Label))));
        var larger = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal("critical", larger.GetProperty("severity").GetString());
        Assert.Equal("concept_drift", larger.GetProperty("evaluation").GetProperty("diagnosis").GetString());
    }

    [Fact]
    public async Task Negative_only_traffic_that_the_model_gets_right_is_a_prior_shift_not_critical_concept_drift()
    {
        // Baseline: the model on all of SST-2 dev (accuracy 0.812, macro F1 about 0.81). Traffic: only
        // dev's negative sentences, labelled truly. The model is as right as ever (about 0.80), but
        // scikit-learn's macro F1 counts the absent positive class as 0 and falls below 0.5.
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null, ("Drift:BaselinePath", TestPaths.Sst2Dev)));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var negatives = MonitoringClient.Dev.Where(d => d.Label == "0").ToArray();
        var ids = await MonitoringClient.PredictAsync(client, negatives.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(negatives, (id, d) => (id, d.Label)));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var evaluation = drift.GetProperty("evaluation");
        var performance = evaluation.GetProperty("performance");
        Assert.InRange(performance.GetProperty("accuracy").GetDouble(), 0.77, 0.83);
        Assert.InRange(performance.GetProperty("f1_present").GetDouble(), 0.85, 1);
        Assert.True(performance.GetProperty("f1_macro").GetDouble() < 0.5);
        Assert.NotEqual("critical", drift.GetProperty("severity").GetString());
        Assert.Equal("prior_shift", evaluation.GetProperty("diagnosis").GetString());
        Assert.Equal("drift", evaluation.GetProperty("label_mix").GetProperty("verdict").GetString());
        var breaches = evaluation.GetProperty("breaches").EnumerateArray().ToArray();
        Assert.Contains(breaches, b => b.GetProperty("type").GetString() == "prior_shift");
        Assert.DoesNotContain(breaches, b => b.GetProperty("type").GetString() == "performance");
        Assert.DoesNotContain("model file", evaluation.GetProperty("recommendation").GetString(), StringComparison.Ordinal);

        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        Assert.All(alerts.RootElement.GetProperty("active").EnumerateArray(), a => Assert.DoesNotContain("model file", a.GetProperty("action").GetString(), StringComparison.Ordinal));
    }
}
