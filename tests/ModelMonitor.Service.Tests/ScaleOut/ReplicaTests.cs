using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.ScaleOut;

/// <summary>Two replicas, real processes, on one PostgreSQL database: one audit, one window, one leader.</summary>
public sealed class ReplicaTests
{
    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    private static Task<int> WindowAsync(HttpClient client) =>
        GetJsonAsync(client, "/drift").ContinueWith(t => t.Result.GetProperty("window").GetProperty("predictions_in_window").GetInt32(), TaskScheduler.Default);

    [Fact]
    public async Task Predictions_through_either_replica_are_in_one_audit_and_in_both_windows_and_feedback_joins_across_replicas()
    {
        await using var replicas = new Replicas();
        var (a, clientA) = await replicas.StartAsync("replica-a");
        await Replicas.WaitForLeadershipAsync(a, TimeSpan.FromSeconds(30));
        var (_, clientB) = await replicas.StartAsync("replica-b");
        await MonitoringClient.WaitForReferenceAsync(clientA);
        await MonitoringClient.WaitForReferenceAsync(clientB);
        var dev = MonitoringClient.Dev.Take(80).ToArray();

        var idsA = await MonitoringClient.PredictAsync(clientA, dev.Take(40).Select(d => d.Text));
        var idsB = await MonitoringClient.PredictAsync(clientB, dev.Skip(40).Select(d => d.Text));

        Assert.Equal(40L, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'prediction' AND writer = 'replica-a'"));
        Assert.Equal(40L, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'prediction' AND writer = 'replica-b'"));
        await WaitAsync(async () => await WindowAsync(clientA) == 80 && await WindowAsync(clientB) == 80, TimeSpan.FromSeconds(20), "both windows to hold all 80 predictions");

        // Either replica reads the one audit: both replicas' records, both chains intact.
        foreach (var client in new[] { clientA, clientB })
        {
            var listed = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit?kind=prediction&limit=1000")).RootElement;
            Assert.Equal(idsA.Concat(idsB).Order(), listed.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
            var verify = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit/verify")).RootElement;
            Assert.True(verify.GetProperty("ok").GetBoolean());
            Assert.Equal(2, verify.GetProperty("segments").GetInt32());
        }

        // Feedback sent to B for predictions A made joins them, in B's window and, through the table, in A's (the leader's).
        await MonitoringClient.FeedbackAsync(clientB, idsA.Zip(dev.Take(40), (id, d) => (id, d.Label == "1" ? "POSITIVE" : "NEGATIVE")));
        await WaitAsync(
            async () => (await MonitoringClient.EvaluateAsync(clientA)).GetProperty("evaluation").GetProperty("window_labelled").GetInt32() == 40,
            TimeSpan.FromSeconds(20),
            "the leader's window to hold B's 40 labels");
    }
}
