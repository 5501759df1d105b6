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
}
