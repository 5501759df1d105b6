using System.Globalization;
using System.Net;
using System.Text.Json;
using ModelMonitor.Service.Tests.Monitoring;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// Evaluations written by one service, then read by another started on the same audit directory:
/// the history is the audit trail's, so it survives the restart.
/// </summary>
public sealed class RestartedHistory : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-history-").FullName;

    /// <summary>What the first service's POST /drift/evaluate answered, for the judged evaluations.</summary>
    public List<JsonElement> Judged { get; } = [];

    /// <summary>The restarted service.</summary>
    public ConfiguredServiceFactory Service { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public ConfiguredServiceFactory Create() => new(MonitoringClient.Settings(
        null,
        null,
        ("Audit:Directory", Path.Combine(directory, "audit")),
        ("Alerts:OutboxDirectory", Path.Combine(directory, "alerts")),
        ("Drift:LiveReferenceSize", "200"),
        ("Drift:BaselineAccuracy", "0.81")));

    public async Task InitializeAsync()
    {
        using (var first = Create())
        {
            var client = first.CreateClient();
            var dev = MonitoringClient.Dev.Take(600).ToArray();
            foreach (var chunk in dev.Chunk(200))
            {
                var ids = await MonitoringClient.PredictAsync(client, chunk.Select(d => d.Text));
                await MonitoringClient.FeedbackAsync(client, ids.Zip(chunk, (id, d) => (id, d.Label)));
                Keep(await MonitoringClient.EvaluateAsync(client));
            }

            await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(300).Select(b => b.Text));
            for (var i = 0; i < 3; i++)
            {
                Keep(await MonitoringClient.EvaluateAsync(client));
            }
        }

        Service = Create();
        Client = Service.CreateClient();
    }

    private void Keep(JsonElement drift)
    {
        if (drift.GetProperty("evaluation").GetProperty("skipped_reason").ValueKind == JsonValueKind.Null)
        {
            Judged.Add(drift.GetProperty("evaluation").Clone());
        }
    }

    public async Task<JsonElement> GetAsync(string pathAndQuery) => JsonDocument.Parse(await MonitoringClient.GetAuditAsync(Client, pathAndQuery)).RootElement.Clone();

    public async Task<HttpResponseMessage> SendAsync(string pathAndQuery, string? key = MonitoringClient.AdminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await Client.SendAsync(request);
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        Service.Dispose();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>Issue 16, item 1: GET /drift/history and GET /traffic/history, read from the audit trail.</summary>
public sealed class HistoryEndpointTests(RestartedHistory history) : IClassFixture<RestartedHistory>
{
    private static readonly string[] Severities = ["none", "low", "medium", "high", "critical"];

    private async Task<JsonElement[]> AllAsync() => [.. (await history.GetAsync("/drift/history?limit=1000")).GetProperty("evaluations").EnumerateArray()];

    [Fact]
    public async Task After_a_restart_the_history_holds_every_judged_evaluation_with_its_features_and_performance()
    {
        var all = await AllAsync();
        Assert.Equal(5, history.Judged.Count);
        Assert.Equal(history.Judged.Select(e => e.GetProperty("sequence").GetInt64()), all.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(history.Judged.Select(e => e.GetProperty("severity").GetString()), all.Select(e => e.GetProperty("severity").GetString()));
        Assert.Contains(all, e => e.GetProperty("severity").GetString() != "none");
        foreach (var (live, stored) in history.Judged.Zip(all))
        {
            Assert.Equal(live.GetProperty("window_count").GetInt32(), stored.GetProperty("window").GetInt32());
            Assert.Equal(live.GetProperty("reference_count").GetInt32(), stored.GetProperty("reference_count").GetInt32());
            var performance = stored.GetProperty("performance");
            Assert.Equal(live.GetProperty("performance").GetProperty("accuracy").GetDouble(), performance.GetProperty("accuracy").GetDouble());
            Assert.Equal(live.GetProperty("performance").GetProperty("precision_macro").GetDouble(), performance.GetProperty("precision_macro").GetDouble());
            var tests = live.GetProperty("performance_tests").EnumerateArray().ToArray();
            Assert.Equal(tests[0].GetProperty("low").GetDouble(), performance.GetProperty("accuracy_low").GetDouble());
            Assert.Equal(tests[1].GetProperty("high").GetDouble(), performance.GetProperty("f1_high").GetDouble());

            // Each feature as /drift showed it, with the counts per bin its comparison used.
            var features = stored.GetProperty("features").EnumerateArray().ToArray();
            Assert.Equal(live.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature").GetString()), features.Select(f => f.GetProperty("feature").GetString()));
            foreach (var (shown, kept) in live.GetProperty("features").EnumerateArray().Zip(features))
            {
                Assert.Equal(shown.GetProperty("verdict").GetString(), kept.GetProperty("verdict").GetString());
                Assert.Equal(shown.GetProperty("test").GetString(), kept.GetProperty("test").GetString());
                Assert.Equal(shown.GetProperty("p_value").GetDouble(), kept.GetProperty("p_value").GetDouble());
                var histogram = kept.GetProperty("histogram");
                Assert.Equal(shown.GetProperty("reference_count").GetInt64(), histogram.GetProperty("reference").EnumerateArray().Sum(c => c.GetInt64()));
                Assert.Equal(shown.GetProperty("current_count").GetInt64(), histogram.GetProperty("current").EnumerateArray().Sum(c => c.GetInt64()));
                var bins = histogram.GetProperty("reference").GetArrayLength();
                Assert.Equal(bins, shown.GetProperty("kind").GetString() == "numeric" ? histogram.GetProperty("edges").GetArrayLength() + 1 : histogram.GetProperty("categories").GetArrayLength());
                Assert.InRange(bins, 1, 10); // Drift:Bins (10) at most; tied values merge bins (a constant feature has one)
            }
        }
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_gaps_or_repeats()
    {
        var all = await AllAsync();
        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await history.GetAsync("/drift/history?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            var ids = page.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
            Assert.InRange(ids.Length, 1, 2);
            paged.AddRange(ids);
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(all.Select(e => e.GetProperty("id").GetString()), paged);
    }

    [Fact]
    public async Task Max_points_keeps_the_worst_evaluation_of_each_bucket()
    {
        var all = await AllAsync();
        var page = await history.GetAsync("/drift/history?max_points=2");
        var points = page.GetProperty("evaluations").EnumerateArray().ToArray();
        var downsampled = page.GetProperty("downsampled");
        Assert.InRange(points.Length, 1, 2);
        Assert.Equal(all.Length, downsampled.GetProperty("evaluations").GetInt32());
        Assert.Equal(all.Length, points.Sum(p => p.GetProperty("represents").GetInt32()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);

        // Buckets of bucket_seconds from the first evaluation: each point is its bucket's worst (of equals, the latest).
        var origin = Time(all[0]);
        var width = TimeSpan.FromSeconds(downsampled.GetProperty("bucket_seconds").GetDouble());
        foreach (var point in points)
        {
            var bucket = (long)((Time(point) - origin) / width);
            var members = all.Where(e => (long)((Time(e) - origin) / width) == bucket).ToArray();
            var worst = members.Max(Rank);
            Assert.Equal(members.Length, point.GetProperty("represents").GetInt32());
            Assert.Equal(members.Last(e => Rank(e) == worst).GetProperty("id").GetString(), point.GetProperty("id").GetString());
        }

        Assert.Equal(all[^1].GetProperty("id").GetString(), page.GetProperty("latest").GetProperty("id").GetString());
        Assert.Equal(12, page.GetProperty("latest").GetProperty("features").GetArrayLength());

        // Summaries only: the same points without their per-feature detail; the latest keeps it.
        var summary = await history.GetAsync("/drift/history?max_points=2&detail=summary");
        Assert.Equal(points.Select(p => p.GetProperty("id").GetString()), summary.GetProperty("evaluations").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.All(summary.GetProperty("evaluations").EnumerateArray(), p => Assert.Equal(0, p.GetProperty("features").GetArrayLength()));
        Assert.Equal(12, summary.GetProperty("latest").GetProperty("features").GetArrayLength());
        Assert.Equal(Severities.Max(s => all.Any(e => e.GetProperty("severity").GetString() == s) ? Array.IndexOf(Severities, s) : -1), points.Max(Rank));
    }

    [Fact]
    public async Task From_and_to_select_a_range_of_evaluation_times()
    {
        var all = await AllAsync();
        var from = Uri.EscapeDataString(all[1].GetProperty("at").GetString()!);
        var to = Uri.EscapeDataString(all[3].GetProperty("at").GetString()!);
        var page = await history.GetAsync($"/drift/history?from={from}&to={to}");
        Assert.Equal(all[1..3].Select(e => e.GetProperty("id").GetString()), page.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Traffic_counts_every_prediction_and_label_and_orders_the_latency_percentiles()
    {
        var all = await AllAsync();
        var from = Uri.EscapeDataString((Time(all[0]) - TimeSpan.FromMinutes(10)).ToString("O", CultureInfo.InvariantCulture));
        var page = await history.GetAsync($"/traffic/history?from={from}&buckets=10");
        var buckets = page.GetProperty("buckets").EnumerateArray().ToArray();
        Assert.Equal(10, buckets.Length);
        Assert.Equal(900, buckets.Sum(b => b.GetProperty("predictions").GetInt64()));
        Assert.Equal(600, buckets.Sum(b => b.GetProperty("feedback").GetInt64()));
        Assert.Equal(["NEGATIVE", "POSITIVE"], page.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(900, buckets.Sum(b => b.GetProperty("labels").EnumerateObject().Sum(l => l.Value.GetInt64())));
        foreach (var bucket in buckets.Where(b => b.GetProperty("predictions").GetInt64() > 0))
        {
            var (p50, p90, p99) = (bucket.GetProperty("latency_p50_ms").GetDouble(), bucket.GetProperty("latency_p90_ms").GetDouble(), bucket.GetProperty("latency_p99_ms").GetDouble());
            Assert.True(p50 > 0 && p50 <= p90 && p90 <= p99, $"{p50} {p90} {p99}");
        }
    }

    [Theory]
    [InlineData("/drift/history?limit=0", "'limit'")]
    [InlineData("/drift/history?limit=1001", "'limit'")]
    [InlineData("/drift/history?limit=ten", "'limit'")]
    [InlineData("/drift/history?max_points=1", "'max_points'")]
    [InlineData("/drift/history?max_points=5001", "'max_points'")]
    [InlineData("/drift/history?cursor=not-an-id", "'cursor'")]
    [InlineData("/drift/history?cursor=01a22666e06f00002b8805eaa5d9561f&max_points=10", "one or the other")]
    [InlineData("/drift/history?from=yesterday", "'from'")]
    [InlineData("/drift/history?detail=everything", "'detail'")]
    [InlineData("/drift/history?to=1969-01-01T00:00:00Z", "'to'")]
    [InlineData("/drift/history?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z", "range is empty")]
    [InlineData("/traffic/history?buckets=0", "'buckets'")]
    [InlineData("/traffic/history?buckets=2001", "'buckets'")]
    [InlineData("/traffic/history?from=2026-02-02T00:00:00Z&to=2026-02-02T00:00:00Z", "range is empty")]
    [InlineData("/traffic/history?to=soon", "'to'")]
    public async Task Bad_parameters_are_400_problem_details_that_name_the_mistake(string pathAndQuery, string named)
    {
        using var response = await history.SendAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(named, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/drift/history")]
    [InlineData("/traffic/history")]
    public async Task Reading_history_needs_the_key_reading_the_audit_needs(string path)
    {
        using var anonymous = await history.SendAsync(path, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        using var audit = await history.SendAsync("/audit", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, audit.StatusCode);
        using var keyed = await history.SendAsync(path);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);

        // The page itself holds no data: it needs no key.
        using var page = await history.SendAsync("/dashboard", key: null);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Without_an_audit_trail_history_is_404()
    {
        using var service = new ConfiguredServiceFactory(new() { ["Audit:Enabled"] = "false" });
        var client = service.CreateClient();
        foreach (var path in new[] { "/drift/history", "/traffic/history" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Audit:Enabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static DateTimeOffset Time(JsonElement evaluation) => DateTimeOffset.Parse(evaluation.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);

    private static int Rank(JsonElement evaluation) => evaluation.GetProperty("skipped").GetBoolean() ? -1 : Array.IndexOf(Severities, evaluation.GetProperty("severity").GetString());
}
