using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Issue 14, item 2: a restart on the same audit directory continues where it left off.</summary>
public sealed class RestartContinuityTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mm-restart-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    private ConfiguredServiceFactory Service() => new(MonitoringClient.Settings(
        TestPaths.Sst2Train,
        null,
        ("Audit:Directory", Path.Combine(data, "audit")),
        ("Alerts:OutboxDirectory", Path.Combine(data, "alerts"))));

    private static async Task<long[]> EvaluationSequencesAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/audit?kind=drift_evaluation");
        request.Headers.Add("X-Api-Key", MonitoringClient.AdminKey);
        using var body = JsonDocument.Parse(await (await client.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("summary").GetProperty("sequence").GetInt64())];
    }

    private static string WithoutRestoredFlag(JsonElement evaluation)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(evaluation.GetRawText())!.AsObject();
        node.Remove("restored_from_audit");
        return node.ToJsonString();
    }

    [Fact]
    public async Task After_a_restart_drift_predict_and_the_report_agree_and_the_sequence_continues()
    {
        string severity;
        string evaluated;
        using (var first = Service())
        {
            var client = first.CreateClient();
            await MonitoringClient.WaitForReferenceAsync(client);
            await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Select(b => b.Text));
            await MonitoringClient.EvaluateAsync(client);
            var drift = await MonitoringClient.EvaluateAsync(client);
            severity = drift.GetProperty("severity").GetString()!;
            Assert.Equal(2, drift.GetProperty("evaluation").GetProperty("sequence").GetInt64());
            Assert.NotEqual("none", severity);
            evaluated = WithoutRestoredFlag(drift.GetProperty("evaluation"));
        }

        using var second = Service();
        var restarted = second.CreateClient();

        // Before any new evaluation: /drift, /predict and /report all say what the audit says.
        using (var drift = JsonDocument.Parse(await restarted.GetStringAsync("/drift")))
        {
            var root = drift.RootElement;
            Assert.Equal(severity, root.GetProperty("severity").GetString());
            Assert.True(root.GetProperty("drift_detected").GetBoolean());
            var evaluation = root.GetProperty("evaluation");
            Assert.Equal(2, evaluation.GetProperty("sequence").GetInt64());
            Assert.True(evaluation.GetProperty("restored_from_audit").GetBoolean());

            // Whole, as it was shown before the restart: features with their tests, breaches, performance.
            Assert.True(evaluation.GetProperty("features").GetArrayLength() > 0);
            Assert.Equal(evaluated, WithoutRestoredFlag(evaluation));
        }

        var predicted = await restarted.PostAsJsonAsync("/predict", new { texts = new[] { "a fine film" } });
        using (var body = JsonDocument.Parse(await predicted.Content.ReadAsStringAsync()))
        {
            Assert.True(body.RootElement.GetProperty("drift_detected").GetBoolean());
            Assert.Equal(severity, body.RootElement.GetProperty("severity").GetString());
        }

        using (var report = JsonDocument.Parse(await restarted.GetStringAsync("/report")))
        {
            Assert.Equal(severity, report.RootElement.GetProperty("drift").GetProperty("current_severity").GetString());
        }

        await MonitoringClient.WaitForReferenceAsync(restarted);
        var next = await MonitoringClient.EvaluateAsync(restarted);
        Assert.Equal(3, next.GetProperty("evaluation").GetProperty("sequence").GetInt64());
        Assert.False(next.GetProperty("evaluation").GetProperty("restored_from_audit").GetBoolean());
        var sequences = await EvaluationSequencesAsync(restarted);
        Assert.Equal([1, 2, 3], sequences.Order());
    }

    private static async Task<JsonElement> ReferenceAsync(HttpClient client)
    {
        await MonitoringClient.WaitForReferenceAsync(client);
        return (await client.GetFromJsonAsync<JsonElement>("/drift")).GetProperty("reference").Clone();
    }

    [Fact]
    public async Task An_admins_reference_survives_a_restart_and_going_back_to_the_file_does_too()
    {
        JsonElement rebaselined;
        string file;
        using (var first = Service())
        {
            var client = first.CreateClient();
            file = (await ReferenceAsync(client)).GetProperty("source").GetString()!;
            await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(300).Select(b => b.Text));
            rebaselined = await MonitoringClient.PostReferenceAsync(client, new { source = "window" });
            Assert.Equal("live", rebaselined.GetProperty("source").GetString());
        }

        using (var second = Service())
        {
            var restored = await ReferenceAsync(second.CreateClient());
            Assert.Equal("live", restored.GetProperty("source").GetString());
            Assert.Equal(rebaselined.GetProperty("count").GetInt32(), restored.GetProperty("count").GetInt32());
            Assert.Equal(rebaselined.GetProperty("created_at").GetDateTimeOffset(), restored.GetProperty("created_at").GetDateTimeOffset());
            Assert.Equal(rebaselined.GetProperty("signal_groups").GetRawText(), restored.GetProperty("signal_groups").GetRawText());

            // More banking77 traffic is judged against the restored banking77 reference: no input drift
            // (against the configured SST-2 file, the same traffic drifts in its inputs).
            await MonitoringClient.PredictAsync(second.CreateClient(), MonitoringClient.Banking.Skip(300).Take(300).Select(b => b.Text));
            var drift = await MonitoringClient.EvaluateAsync(second.CreateClient());
            Assert.Equal(JsonValueKind.Null, drift.GetProperty("evaluation").GetProperty("skipped_reason").ValueKind);
            Assert.DoesNotContain(MonitoringClient.Features(drift), f => f.GetProperty("group").GetString() == "input" && f.GetProperty("verdict").GetString() == "drift");

            Assert.Equal(file, (await MonitoringClient.PostReferenceAsync(second.CreateClient(), null)).GetProperty("source").GetString());
        }

        using var third = Service();
        Assert.Equal(file, (await ReferenceAsync(third.CreateClient())).GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_restored_unlabelled_reference_does_not_take_the_estimator_of_an_earlier_labelled_one()
    {
        JsonElement before;
        using (var first = Service())
        {
            var client = first.CreateClient();
            await ReferenceAsync(client);
            var labelled = MonitoringClient.Dev.Take(300).ToArray();
            await MonitoringClient.PostReferenceAsync(client, new { texts = labelled.Select(l => l.Text), labels = labelled.Select(l => l.Label) });
            Assert.Equal(JsonValueKind.Object, (await ReferenceAsync(client)).GetProperty("estimator").ValueKind);
            await MonitoringClient.PostReferenceAsync(client, new { texts = MonitoringClient.Dev.Skip(300).Take(300).Select(l => l.Text) });
            before = await ReferenceAsync(client);
        }

        using var second = Service();
        var restored = await ReferenceAsync(second.CreateClient());
        Assert.Equal(before.GetProperty("created_at").GetDateTimeOffset(), restored.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("performance").ValueKind);
        Assert.Equal(before.GetProperty("estimator").GetRawText(), restored.GetProperty("estimator").GetRawText());
    }
}
