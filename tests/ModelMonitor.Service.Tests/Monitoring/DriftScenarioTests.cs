using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>The scenarios, end to end: the real model, real data, a real SMTP server.</summary>
public sealed class DriftScenarioTests : IDisposable
{
    private readonly SmtpServer smtp = new();

    public void Dispose() => smtp.Dispose();

    [Fact]
    public async Task Sst2_dev_against_the_sst2_train_reference_raises_no_drift()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, smtp));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Select(d => d.Text));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var reference = drift.GetProperty("reference");
        Assert.Equal(6885, reference.GetProperty("count").GetInt32());
        Assert.Contains("phrase bank", reference.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The first 500 dev predictions are the score reference; the other 372 are judged against it.
        var scores = reference.GetProperty("scores");
        Assert.Equal(("live", "ready", 500), (scores.GetProperty("source").GetString(), scores.GetProperty("state").GetString(), scores.GetProperty("collected").GetInt32()));
        var features = MonitoringClient.Features(drift).ToArray();
        Assert.Equal(12, features.Length);
        Assert.Equal(372, features.Single(f => f.GetProperty("feature").GetString() == "confidence").GetProperty("current_count").GetInt32());
        Assert.Equal(872, features.Single(f => f.GetProperty("feature").GetString() == "char_length").GetProperty("current_count").GetInt32());
        Assert.All(features, f => Assert.Equal("stable", f.GetProperty("verdict").GetString()));
        Assert.False(drift.GetProperty("drift_detected").GetBoolean());
        Assert.Equal("none", drift.GetProperty("severity").GetString());
        Assert.Empty(drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray());
    }

    [Fact]
    public async Task Against_the_train_texts_own_scores_the_model_is_measurably_more_confident_than_on_dev()
    {
        // Drift:ScoreReference=Reference judges scores against the reference texts themselves. The
        // model was trained on those, so it is surer of them: a real gap, which is why the default
        // takes the score reference from live traffic instead.
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, smtp, ("Drift:ScoreReference", "Reference")));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Select(d => d.Text));
        var drift = await MonitoringClient.EvaluateAsync(client);

        Assert.Equal("reference", drift.GetProperty("reference").GetProperty("scores").GetProperty("source").GetString());
        var features = MonitoringClient.Features(drift).ToArray();
        Assert.All(features.Where(f => f.GetProperty("group").GetString() == "input"), f => Assert.Equal("stable", f.GetProperty("verdict").GetString()));
        var confidence = features.Single(f => f.GetProperty("feature").GetString() == "confidence");
        Assert.Equal("drift", confidence.GetProperty("verdict").GetString());
        Assert.Equal(872, confidence.GetProperty("current_count").GetInt32());
        var breaches = drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(["output_drift"], breaches);
    }

    [Fact]
    public async Task Banking77_drifts_in_the_input_features_and_the_alert_is_emailed_with_its_evidence()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, smtp));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Select(d => d.Text));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var breach = drift.GetProperty("evaluation").GetProperty("breaches").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "input_drift");
        var drifted = breach.GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Contains("char_length", drifted);
        Assert.Contains("token_count", drifted);
        var length = MonitoringClient.Features(drift).Single(f => f.GetProperty("feature").GetString() == "char_length");
        Assert.Contains(length.GetProperty("effect_measure").GetString(), new[] { "wasserstein_normed", "psi", "jensen_shannon" });
        Assert.True(MonitoringClient.EffectSize(length) >= length.GetProperty("threshold").GetDouble());
        Assert.True(drift.GetProperty("drift_detected").GetBoolean());
        Assert.Equal("data_drift", drift.GetProperty("evaluation").GetProperty("diagnosis").GetString());

        // Banking traffic is no sample of the reference's world, so it never becomes the score reference.
        Assert.Equal("collecting", drift.GetProperty("reference").GetProperty("scores").GetProperty("state").GetString());
        Assert.Equal(["confidence", "margin", "entropy"], drift.GetProperty("evaluation").GetProperty("pending_features").EnumerateArray().Select(f => f.GetString()!));

        var mail = await smtp.WaitForAsync(m => m.Any(x => x.Header("Subject").Contains("input_drift", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var alert = mail.Single(x => x.Header("Subject").Contains("input_drift", StringComparison.Ordinal));
        Assert.Contains(breach.GetProperty("severity").GetString()!.ToUpperInvariant(), alert.Header("Subject"), StringComparison.Ordinal);
        Assert.Contains("ml-team@example.com", alert.Header("To"), StringComparison.Ordinal);
        Assert.Contains("char_length: ks", alert.Body, StringComparison.Ordinal);
        Assert.Contains("threshold", alert.Body, StringComparison.Ordinal);
        Assert.Contains("Investigate the inputs", alert.Body, StringComparison.Ordinal);

        // Every alert is in the audit trail, and /predict now carries the severity.
        using var records = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit?kind=alert"));
        Assert.Contains(records.RootElement.GetProperty("records").EnumerateArray(), r => r.GetProperty("alert").GetProperty("type").GetString() == "input_drift");
        var predicted = await client.PostAsync("/predict", new StringContent("{\"texts\":[\"hello\"]}", System.Text.Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await predicted.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("drift_detected").GetBoolean());
        Assert.Equal(drift.GetProperty("severity").GetString(), body.RootElement.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task Flipped_labels_raise_a_critical_alert_to_the_critical_recipients_and_true_labels_do_not()
    {
        // The train reference's own accuracy is in-sample (91.7%); the held-out figure from the model card is the fair baseline.
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, smtp, ("Drift:BaselineSource", "Configured"), ("Drift:BaselineAccuracy", "0.8119")));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var dev = MonitoringClient.Dev;
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));

        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        var honest = await MonitoringClient.EvaluateAsync(client);
        var performance = honest.GetProperty("evaluation").GetProperty("performance");
        Assert.Equal(872, performance.GetProperty("labelled").GetInt32());
        Assert.Equal(708.0 / 872, performance.GetProperty("accuracy").GetDouble(), 9);
        Assert.NotEqual("critical", honest.GetProperty("severity").GetString());

        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label == "1" ? "0" : "1")));
        var flipped = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal("critical", flipped.GetProperty("severity").GetString());
        Assert.Equal("concept_drift", flipped.GetProperty("evaluation").GetProperty("diagnosis").GetString());
        Assert.Equal(164.0 / 872, flipped.GetProperty("evaluation").GetProperty("performance").GetProperty("accuracy").GetDouble(), 9);

        var mail = await smtp.WaitForAsync(m => m.Any(x => x.Header("Subject").Contains("CRITICAL", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var critical = mail.Single(x => x.Header("Subject").Contains("CRITICAL", StringComparison.Ordinal));
        Assert.Contains("oncall@example.com", critical.Header("To"), StringComparison.Ordinal);
        Assert.Contains("below the configured baseline 0.8119", critical.Body, StringComparison.Ordinal);
        Assert.Contains("Retrain", critical.Body, StringComparison.Ordinal);

        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        Assert.Contains(alerts.RootElement.GetProperty("active").EnumerateArray(), a => a.GetProperty("severity").GetString() == "critical");
    }
}
