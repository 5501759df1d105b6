using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.ScaleOut;

/// <summary>A reference made on any replica becomes every replica's, and a replica started later starts with it.</summary>
public sealed class ReferenceReplicationTests
{
    private static async Task<JsonElement> ReferenceAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/drift"));
        return document.RootElement.GetProperty("reference").Clone();
    }

    private static async Task<JsonElement> WaitForReferenceAsync(HttpClient client, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var reference = await ReferenceAsync(client);
            if (condition(reference))
            {
                return reference;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; last: {reference}");
            await Task.Delay(100);
        }
    }

    /// <summary>What every replica must agree on about the reference.</summary>
    private static string Identity(JsonElement reference) =>
        string.Join(" | ", reference.GetProperty("source").GetString(), reference.GetProperty("state").GetString(), reference.GetProperty("message"), reference.GetProperty("count"), reference.GetProperty("created_at"), reference.GetProperty("performance"), reference.GetProperty("signal_groups"), reference.TryGetProperty("estimator", out var estimator) ? estimator.ToString() : "none");

    [Fact]
    public async Task Posted_rebaselined_and_rescored_references_become_every_replicas_and_a_later_replica_starts_with_the_current_one()
    {
        await using var replicas = new Replicas();
        var (_, clientA, _, clientB) = await replicas.StartLeaderAndFollowerAsync();
        var file = (await ReferenceAsync(clientA)).GetProperty("source").GetString();

        // Both scored the configured file, at different moments: they agree on one reference, its time included.
        var later = await ReferenceAsync(clientB);
        var first = await WaitForReferenceAsync(clientA, r => r.GetProperty("created_at").GetDateTimeOffset() == later.GetProperty("created_at").GetDateTimeOffset(), "the first replica to take the later scoring's time");
        Assert.Equal(Identity(later), Identity(first));

        // Texts with labels posted to the follower: the leader adopts the same reference, performance included.
        var posted = MonitoringClient.Dev.Take(300).ToArray();
        await MonitoringClient.PostReferenceAsync(clientB, new { texts = posted.Select(p => p.Text), labels = posted.Select(p => p.Label) });
        var onB = await ReferenceAsync(clientB);
        Assert.Equal("request", onB.GetProperty("source").GetString());
        var onA = await WaitForReferenceAsync(clientA, r => r.GetProperty("source").GetString() == "request", "the leader to adopt the posted reference");
        Assert.Equal(Identity(onB), Identity(onA));
        Assert.Equal(300, onA.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Object, onA.GetProperty("performance").ValueKind);

        // A re-baseline on the follower's window: the leader judges against the same window reference.
        var banking = MonitoringClient.Banking.Select(b => b.Text).Take(400).ToArray();
        await MonitoringClient.PredictAsync(clientA, banking.Take(200));
        await MonitoringClient.PredictAsync(clientB, banking.Skip(200));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await clientB.GetFromJsonAsync<JsonElement>("/drift")).GetProperty("window").GetProperty("predictions_in_window").GetInt32() < 400)
        {
            Assert.True(DateTime.UtcNow < deadline, "the follower's window did not fill");
            await Task.Delay(100);
        }

        await MonitoringClient.PostReferenceAsync(clientB, new { source = "window" });
        onB = await ReferenceAsync(clientB);
        Assert.Equal("live", onB.GetProperty("source").GetString());
        Assert.Equal(400, onB.GetProperty("count").GetInt32());
        onA = await WaitForReferenceAsync(clientA, r => r.GetProperty("source").GetString() == "live", "the leader to adopt the re-baseline");
        Assert.Equal(Identity(onB), Identity(onA));

        // The banking77 window is the reference now: the leader finds no input drift in it.
        var evaluation = (await MonitoringClient.EvaluateAsync(clientA)).GetProperty("evaluation");
        Assert.DoesNotContain(MonitoringClient.Features(await clientA.GetFromJsonAsync<JsonElement>("/drift")), f => f.GetProperty("group").GetString() == "input" && f.GetProperty("verdict").GetString() == "drift");
        Assert.Equal(400, evaluation.GetProperty("reference_count").GetInt32());

        // A replica started now begins with the current reference, not the configured file.
        var (_, clientC) = await replicas.StartAsync("replica-c");
        await MonitoringClient.WaitForReferenceAsync(clientC);
        Assert.Equal(Identity(onA), Identity(await ReferenceAsync(clientC)));

        // Back to the configured file, asked on the leader: the others score the file too, and show it under the leader's time.
        await MonitoringClient.PostReferenceAsync(clientA, null);
        var fileAgain = await ReferenceAsync(clientA);
        Assert.Equal(file, fileAgain.GetProperty("source").GetString());
        foreach (var client in new[] { clientB, clientC })
        {
            var back = await WaitForReferenceAsync(client, r => r.GetProperty("source").GetString() == file && r.GetProperty("state").GetString() == "ready", "the others to score the file again");
            Assert.Equal(Identity(fileAgain), Identity(back));
        }

        // Each reference is in the audit once, by the replica that made it.
        Assert.Equal(1L, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'reference' AND line LIKE '%\"source\":\"request\"%'"));
        Assert.Equal(1L, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'reference' AND line LIKE '%\"source\":\"live\"%'"));
    }
}
