using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Keys, feedback validation, /drift before a reference, and /report against the offline rebuild.</summary>
public sealed class MonitoringApiTests
{
    private static HttpRequestMessage Post(string path, object? body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task Admin_actions_are_disabled_without_a_key_and_need_the_right_one()
    {
        using (var open = new ServiceFactory())
        {
            var client = open.CreateClient();
            var disabled = await client.SendAsync(Post("/reference", null, "anything"));
            Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
            Assert.Contains("no Security:AdminApiKey", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var secured = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null));
        var secure = secured.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.SendAsync(Post("/reference", null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.SendAsync(Post("/reference", null, MonitoringClient.AdminKey + "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secure.SendAsync(Post("/drift/evaluate", null, "short"))).StatusCode);
        var conflict = await secure.SendAsync(Post("/reference", null, MonitoringClient.AdminKey));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("at least 100 are needed", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_needs_a_key_once_one_is_configured()
    {
        using var secured = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Security:FeedbackApiKey", "feedback-key-0123456789")));
        var client = secured.CreateClient();
        var ids = await MonitoringClient.PredictAsync(client, ["a fine film"]);
        object body = new { feedback = new[] { new { prediction_id = ids[0], label = "POSITIVE" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Post("/feedback", body, null))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/feedback", body, "feedback-key-0123456789"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/feedback", body, MonitoringClient.AdminKey))).StatusCode);
    }

    [Theory]
    [InlineData("{\"feedback\": []}", "at least one item")]
    [InlineData("{\"labels\": []}", "must be {\\\"feedback\\\"")]
    [InlineData("{\"feedback\": [{\"label\": \"POSITIVE\"}]}", "feedback[0].prediction_id")]
    [InlineData("[]", "at least one item")]
    [InlineData("{\"prediction_ids\": [\"a\"], \"labels\": []}", "arrays of the same length")]
    [InlineData("{\"prediction_id\": \"00000000000000000000000000000000\", \"label\": \"MAYBE\"}", "body.label 'MAYBE'")]
    [InlineData("{\"feedback\": [{\"prediction_id\": \"00000000000000000000000000000000\"}]}", "feedback[0].label is required")]
    [InlineData("{\"feedback\": [{\"prediction_id\": \"00000000000000000000000000000000\", \"label\": \"NEUTRAL\"}]}", "'NEUTRAL' is not one of the model's labels")]
    [InlineData("{\"feedback\": [{\"prediction_id\": \"00000000000000000000000000000000\", \"label\": 7}]}", "'7' is not one of")]
    public async Task Bad_feedback_is_a_400_naming_the_item(string body, string expected)
    {
        using var factory = new ServiceFactory();
        var response = await factory.CreateClient().PostAsync("/feedback", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_joins_known_predictions_records_them_and_reports_unknown_ids()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var ids = await MonitoringClient.PredictAsync(client, ["a fine film", "a dull film"]);
        var response = await client.PostAsJsonAsync("/feedback", new { feedback = new object[] { new { prediction_id = ids[0], label = "POSITIVE" }, new { prediction_id = ids[1], label = 0 }, new { prediction_id = "00000000000000000000000000000000", label = 1 } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((2, 2, 1), (body.RootElement.GetProperty("accepted").GetInt32(), body.RootElement.GetProperty("joined").GetInt32(), body.RootElement.GetProperty("unknown").GetInt32()));
        Assert.Equal(["joined", "joined", "unknown_prediction"], body.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));

        using var records = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit?kind=feedback"));
        var stored = records.RootElement.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(2, stored.Length);
        Assert.Contains(stored, r => r.GetProperty("prediction_id").GetString() == ids[1] && r.GetProperty("label").GetString() == "NEGATIVE");
    }

    [Fact]
    public async Task A_relative_reference_path_resolves_against_the_repository_root()
    {
        var relative = Path.GetRelativePath(ModelMonitor.Testing.TestPaths.RepositoryRoot, ModelMonitor.Testing.TestPaths.Sst2Dev);
        Assert.False(Path.IsPathRooted(relative));
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(relative, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
        Assert.Equal(872, drift.RootElement.GetProperty("reference").GetProperty("count").GetInt32());
        Assert.Equal(872, drift.RootElement.GetProperty("reference").GetProperty("performance").GetProperty("labelled").GetInt32());
    }

    [Fact]
    public async Task A_reference_with_another_tasks_labels_still_serves_for_drift_without_a_baseline()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(ModelMonitor.Testing.TestPaths.Banking77Dev, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
        var reference = drift.RootElement.GetProperty("reference");
        Assert.Equal(1000, reference.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, reference.GetProperty("performance").ValueKind);
        Assert.Contains("1000 label(s) are not the model's labels", reference.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("none", reference.GetProperty("baseline").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Feedback_also_comes_as_a_bare_array_a_single_item_or_parallel_columns()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var ids = await MonitoringClient.PredictAsync(client, ["one", "two", "three", "four"]);
        async Task<int> Joined(object body)
        {
            var response = await client.PostAsJsonAsync("/feedback", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var parsed = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return parsed.RootElement.GetProperty("joined").GetInt32();
        }

        Assert.Equal(1, await Joined(new[] { new { prediction_id = ids[0], label = "POSITIVE" } }));
        Assert.Equal(1, await Joined(new { id = ids[1], true_label = 0 }));
        Assert.Equal(2, await Joined(new { prediction_ids = new[] { ids[2], ids[3] }, labels = new object[] { "negative", 1 } }));
        using var records = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit?kind=feedback"));
        Assert.Equal(4, records.RootElement.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Without_a_reference_file_the_first_live_predictions_become_the_reference()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "100"), ("Drift:MinWindowSize", "50")));
        var client = factory.CreateClient();
        using (var before = JsonDocument.Parse(await client.GetStringAsync("/drift")))
        {
            var reference = before.RootElement.GetProperty("reference");
            Assert.Equal(("collecting", "live"), (reference.GetProperty("state").GetString(), reference.GetProperty("source").GetString()));
            Assert.Equal(JsonValueKind.Null, before.RootElement.GetProperty("evaluation").ValueKind);
        }

        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Take(150).Select(d => d.Text));
        var drift = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal(100, drift.GetProperty("reference").GetProperty("count").GetInt32());

        Assert.Equal(150, drift.GetProperty("evaluation").GetProperty("window_count").GetInt32());
        Assert.Equal(12, MonitoringClient.Features(drift).Count());

        // Features are judged on the 50 predictions after the reference: a sample compared with itself never drifts.
        Assert.All(MonitoringClient.Features(drift), f => Assert.Equal(50, f.GetProperty("current_count").GetInt32()));
    }

    [Fact]
    public async Task The_report_matches_the_offline_rebuild_from_the_audit_store()
    {
        using var smtp = new SmtpServer();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(ModelMonitor.Testing.TestPaths.Sst2Train, smtp));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var dev = MonitoringClient.Dev.Take(300).ToArray();
        var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
        await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)));
        await MonitoringClient.EvaluateAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Select(b => b.Text));
        await MonitoringClient.EvaluateAsync(client);

        using var live = JsonDocument.Parse(await client.GetStringAsync("/report"));
        var offline = new ReportBuilder();
        MonitoringAuditRecords.Replay(factory.AuditDirectory, offline);
        using var rebuilt = JsonDocument.Parse(JsonSerializer.Serialize(offline.Build(DateTimeOffset.UtcNow), MonitoringJsonContext.Default.MonitoringReport));

        var report = live.RootElement;
        using (var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(factory.AuditDirectory + "-alerts", "monitoring-report.json"))))
        {
            // The file is written after each evaluation; nothing happened since the last one but this read.
            Assert.True(JsonElement.DeepEquals(report.GetProperty("drift"), file.RootElement.GetProperty("drift")));
            Assert.True(JsonElement.DeepEquals(report.GetProperty("last_alerts"), file.RootElement.GetProperty("last_alerts")));
            Assert.Equal(report.GetProperty("predictions").GetInt64(), file.RootElement.GetProperty("predictions").GetInt64());
        }

        Assert.Equal(1300, report.GetProperty("predictions").GetInt64());
        Assert.Equal(300, report.GetProperty("feedback_joined").GetInt64());
        Assert.Equal(1, report.GetProperty("performance").GetProperty("evaluations").GetInt32());
        Assert.Equal(2, report.GetProperty("drift").GetProperty("evaluations").GetInt32());
        Assert.True(report.GetProperty("drift").GetProperty("alerts_by_type").GetProperty("input_drift").GetInt32() >= 1);
        Assert.Contains(report.GetProperty("recommendations").EnumerateArray(), r => r.GetString()!.StartsWith("Investigate the inputs", StringComparison.Ordinal));
        foreach (var property in new[] { "period_from", "period_to", "predictions", "feedback", "feedback_joined", "performance", "drift", "last_alerts", "recommendations" })
        {
            Assert.True(JsonElement.DeepEquals(report.GetProperty(property), rebuilt.RootElement.GetProperty(property)), property);
        }
    }
}
