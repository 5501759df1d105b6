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

    private static string WithoutGeneratedAt(JsonElement report)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(report.GetRawText())!.AsObject();
        node.Remove("generated_at");
        return node.ToJsonString();
    }

    private static Task<int> WindowAsync(HttpClient client) =>
        GetJsonAsync(client, "/drift").ContinueWith(t => t.Result.GetProperty("window").GetProperty("predictions_in_window").GetInt32(), TaskScheduler.Default);

    [Fact]
    public async Task Predictions_through_either_replica_are_in_one_audit_and_in_both_windows_and_feedback_joins_across_replicas()
    {
        await using var replicas = new Replicas();
        var (_, clientA, _, clientB) = await replicas.StartLeaderAndFollowerAsync();
        var dev = MonitoringClient.Dev.Take(80).ToArray();

        // Each replica's /metrics says whether it leads: A does, B follows.
        Assert.Contains("modelmonitor_monitor_leader{writer=\"replica-a\"} 1", await clientA.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Contains("modelmonitor_monitor_leader{writer=\"replica-b\"} 0", await clientB.GetStringAsync("/metrics"), StringComparison.Ordinal);

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

    [Fact]
    public async Task Killing_the_leader_under_load_loses_no_acknowledged_record_and_the_other_replica_continues_the_evaluations_within_the_bound()
    {
        await using var replicas = new Replicas(leaderTakeoverSeconds: 6);
        (string, string?)[] everySecond = [("Drift:EvaluationIntervalSeconds", "1")];
        var (a, clientA, b, clientB) = await replicas.StartLeaderAndFollowerAsync(null, everySecond);
        Assert.False(Replicas.Leads(b));

        // Load on both replicas; only answered (200) predictions count as acknowledged.
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var texts = MonitoringClient.Dev.Select(d => d.Text).ToArray();
        async Task LoadAsync(HttpClient client, int offset)
        {
            for (var i = offset; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { texts[i % texts.Length], texts[(i + 7) % texts.Length] } }, stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop.Token));
                        foreach (var prediction in body.RootElement.GetProperty("predictions").EnumerateArray())
                        {
                            acknowledged.Add(prediction.GetProperty("id").GetString()!);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    // The killed replica refuses; the load goes on until stopped.
                }
            }
        }

        var load = new[] { Task.Run(() => LoadAsync(clientA, 0)), Task.Run(() => LoadAsync(clientB, 400)) };
        await WaitAsync(() => Task.FromResult(replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'drift_evaluation' AND writer = 'replica-a'") >= 3), TimeSpan.FromSeconds(60), "the leader's evaluations");

        var killed = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;
        await replicas.KillAsync(a); // SIGKILL: no shutdown, no draining
        await Replicas.WaitForLeadershipAsync(b, TimeSpan.FromSeconds(replicas.LeaderTakeoverSeconds + 5));
        var takeover = killed.Elapsed;
        await WaitAsync(() => Task.FromResult(replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'drift_evaluation' AND writer = 'replica-b'") >= 2), TimeSpan.FromSeconds(30), "the new leader's evaluations");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(takeover <= TimeSpan.FromSeconds(replicas.LeaderTakeoverSeconds + 1), $"takeover took {takeover}");
        var firstByB = PostgresTime(replicas, "SELECT min(ts) FROM audit_records WHERE kind = 'drift_evaluation' AND writer = 'replica-b'");
        Assert.True(firstByB - killedAt <= TimeSpan.FromSeconds(replicas.LeaderTakeoverSeconds + 2), $"the first evaluation after the kill came {firstByB - killedAt} later");

        // Not one acknowledged prediction is missing.
        var stored = replicas.Scalar($"SELECT count(*) FROM audit_records WHERE kind = 'prediction' AND id = ANY(ARRAY[{string.Join(',', acknowledged.Select(id => $"'{id}'"))}])");
        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} predictions were acknowledged");
        Assert.Equal(acknowledged.Count, stored);

        // One evaluation sequence, continued by the new leader, no number twice.
        Assert.Equal(
            replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'drift_evaluation'"),
            replicas.Scalar("SELECT count(DISTINCT (line::jsonb -> 'summary' ->> 'sequence')) FROM audit_records WHERE kind = 'drift_evaluation'"));
        Assert.True(
            replicas.Scalar("SELECT min((line::jsonb -> 'summary' ->> 'sequence')::bigint) FROM audit_records WHERE kind = 'drift_evaluation' AND writer = 'replica-b'")
            > replicas.Scalar("SELECT max((line::jsonb -> 'summary' ->> 'sequence')::bigint) FROM audit_records WHERE kind = 'drift_evaluation' AND writer = 'replica-a'"));
        var verify = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(clientB, "/audit/verify")).RootElement;
        Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task A_banking77_drift_spread_over_both_replicas_mails_each_alert_once()
    {
        using var smtp = new SmtpServer();
        await using var replicas = new Replicas();
        var (_, clientA, _, clientB) = await replicas.StartLeaderAndFollowerAsync(smtp);
        var banking = MonitoringClient.Banking.Select(b => b.Text).ToArray();

        await MonitoringClient.PredictAsync(clientA, banking.Take(500));
        await MonitoringClient.PredictAsync(clientB, banking.Skip(500));
        await WaitAsync(async () => await WindowAsync(clientA) == 1000, TimeSpan.FromSeconds(20), "the leader's window to hold both halves");
        var evaluated = (await MonitoringClient.EvaluateAsync(clientA)).GetProperty("evaluation");
        var fired = evaluated.GetProperty("breaches").GetArrayLength();

        Assert.True(fired >= 1);

        // The follower shows the leader's evaluation whole: features, tests, breaches, performance.
        var sequence = evaluated.GetProperty("sequence").GetInt64();
        await WaitAsync(async () => (await GetJsonAsync(clientB, "/drift")).GetProperty("evaluation") is { ValueKind: JsonValueKind.Object } shown && shown.GetProperty("sequence").GetInt64() == sequence, TimeSpan.FromSeconds(20), "the follower to show the leader's evaluation");
        var (leaderDrift, followerDrift) = (await GetJsonAsync(clientA, "/drift"), await GetJsonAsync(clientB, "/drift"));
        Assert.True(followerDrift.GetProperty("evaluation").GetProperty("features").GetArrayLength() > 0);
        Assert.Equal(leaderDrift.GetProperty("evaluation").GetRawText(), followerDrift.GetProperty("evaluation").GetRawText());
        Assert.Equal(leaderDrift.GetProperty("severity").GetString(), followerDrift.GetProperty("severity").GetString());
        Assert.Equal(leaderDrift.GetProperty("drift_detected").GetBoolean(), followerDrift.GetProperty("drift_detected").GetBoolean());
        var mailed = replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert' AND line::jsonb ? 'notification'");
        Assert.True(mailed >= 1);

        // The follower asked to evaluate answers with the leader's evaluation and fires nothing of its own.
        await WaitAsync(async () => (await GetJsonAsync(clientB, "/alerts")).GetProperty("active").GetArrayLength() == fired, TimeSpan.FromSeconds(20), "the follower to show the leader's alerts");
        Assert.Equal((await GetJsonAsync(clientA, "/alerts")).GetProperty("active").GetRawText(), (await GetJsonAsync(clientB, "/alerts")).GetProperty("active").GetRawText());
        Assert.Equal(WithoutGeneratedAt(await GetJsonAsync(clientA, "/report")), WithoutGeneratedAt(await GetJsonAsync(clientB, "/report")));
        await MonitoringClient.EvaluateAsync(clientB);

        // Each alert's delivery is recorded once the server took it; then the server holds everything this run will send.
        await WaitAsync(() => Task.FromResult(replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert_delivery'") >= mailed), TimeSpan.FromSeconds(30), "the deliveries");
        var mail = smtp.Messages();
        Assert.Equal(mailed, mail.Count);

        // /alerts whole, the outbox included (the database's counts), is the same on both replicas.
        var (alertsA, alertsB) = (await GetJsonAsync(clientA, "/alerts"), await GetJsonAsync(clientB, "/alerts"));
        Assert.Equal(mailed, alertsB.GetProperty("email").GetProperty("sent").GetInt64());
        Assert.Equal(alertsA.GetRawText(), alertsB.GetRawText());
        Assert.Equal(mailed, mail.Select(m => m.Header("X-ModelMonitor-Notification")).Distinct().Count());
        Assert.Equal(mailed, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert_delivery'"));
        Assert.Equal(0L, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind IN ('alert', 'drift_evaluation') AND writer = 'replica-b'"));
    }

    [Fact]
    public async Task Alert_mail_the_leader_could_not_send_before_it_died_is_sent_once_by_the_next_leader()
    {
        using var smtp = new SmtpServer(start: false);
        await using var replicas = new Replicas();
        var (a, clientA, b, clientB) = await replicas.StartLeaderAndFollowerAsync(smtp);
        var banking = MonitoringClient.Banking.Select(b => b.Text).ToArray();
        await MonitoringClient.PredictAsync(clientA, banking.Take(500));
        await MonitoringClient.PredictAsync(clientB, banking.Skip(500));
        await WaitAsync(async () => await WindowAsync(clientA) == 1000, TimeSpan.FromSeconds(20), "the leader's window to hold both halves");
        await MonitoringClient.EvaluateAsync(clientA);
        var mailed = replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert' AND line::jsonb ? 'notification'");
        Assert.True(mailed >= 1);

        await replicas.KillAsync(a); // SIGKILL, with every e-mail still unsent (the server is down)
        smtp.Start();
        await Replicas.WaitForLeadershipAsync(b, TimeSpan.FromSeconds(replicas.LeaderTakeoverSeconds + 5));

        await WaitAsync(() => Task.FromResult(replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert_delivery'") >= mailed), TimeSpan.FromSeconds(30), "the new leader's deliveries");
        var mail = smtp.Messages();
        Assert.Equal(mailed, mail.Count);

        // The new leader's /alerts counts every e-mail the database marks delivered.
        Assert.Equal(mailed, (await GetJsonAsync(clientB, "/alerts")).GetProperty("email").GetProperty("sent").GetInt64());
        Assert.Equal(mailed, mail.Select(m => m.Header("X-ModelMonitor-Notification")).Distinct().Count());
        Assert.Equal(mailed, replicas.Scalar("SELECT count(*) FROM audit_records WHERE kind = 'alert_delivery' AND writer = 'replica-b'"));
    }

    private static DateTimeOffset PostgresTime(Replicas replicas, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(replicas.Database);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return command.ExecuteScalar() is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MaxValue;
    }
}
