using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelMonitor.Audit;

namespace ModelMonitor.Service.Tests.Auditing;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task Each_prediction_is_on_disk_with_its_fields_when_predict_answers()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "I love this product!", "This is terrible." } });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();

        // Read the segment files directly, before anything else happens: a 200 means the records exist.
        var records = AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var predictions = records.Where(r => r.GetProperty("kind").GetString() == "prediction").ToArray();
        Assert.Equal(ids, predictions.Select(r => r.GetProperty("id").GetString()));
        var first = predictions[0];
        Assert.Equal(body.RootElement.GetProperty("request_id").GetString(), first.GetProperty("request_id").GetString());
        Assert.Equal("sst2-tiny", first.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("ab88a6317a030e1be2ca478ff9f3edb5b9d7f12d44dfd0bcfddc26fc1be33b73", first.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal("I love this product!", first.GetProperty("input").GetProperty("text").GetString());
        Assert.Equal(20, first.GetProperty("chars").GetInt32());
        Assert.Equal(7, first.GetProperty("tokens").GetInt32());
        Assert.False(first.GetProperty("truncated").GetBoolean());
        Assert.Equal("POSITIVE", first.GetProperty("label").GetString());
        Assert.Equal(2, first.GetProperty("scores").EnumerateObject().Count());
        Assert.True(first.GetProperty("latency_ms").GetDouble() > 0);
        Assert.Equal("modelmonitor", first.GetProperty("tags").GetProperty("service").GetString());

        var one = await client.GetFromJsonAsync<JsonElement>($"/audit/{ids[1]}");
        Assert.Equal("This is terrible.", one.GetProperty("input").GetProperty("text").GetString());
        var verify = await client.GetFromJsonAsync<JsonElement>("/audit/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Predictions_are_recorded_when_batching_is_off_too()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:Enabled"] = "false" });
        var response = await factory.CreateClient().PostAsJsonAsync("/predict", new { texts = new[] { "unbatched" } });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("predictions")[0].GetProperty("id").GetString();
        var stored = AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal(id, stored.GetProperty("id").GetString());
        Assert.Equal("unbatched", stored.GetProperty("input").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Rejected_and_unknown_requests_leave_warning_records()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        await client.PostAsJsonAsync("/predict", new { texts = Array.Empty<string>() });
        await client.GetAsync("/no-such-thing");
        await factory.Services.GetRequiredService<ModelMonitor.Service.Auditing.ProblemRecorder>().FlushAsync(CancellationToken.None);
        var warnings = AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("kind").GetString() == "warning").ToArray();
        Assert.Contains(warnings, w => w.GetProperty("status").GetInt32() == 400 && w.GetProperty("problem").GetString()!.Contains("at least one text", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.GetProperty("status").GetInt32() == 404 && w.GetProperty("path").GetString() == "/no-such-thing");
    }

    [Fact]
    public async Task Redaction_never_writes_the_text()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Audit:Redact"] = "true" });
        var client = factory.CreateClient();
        const string secret = "my account number is 12345 and I am furious";
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { secret } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = string.Concat(Directory.GetFiles(factory.AuditDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("furious", content, StringComparison.Ordinal);
        var record = JsonDocument.Parse(AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines).First()).RootElement;
        Assert.Equal(secret.Length, record.GetProperty("input").GetProperty("length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), record.GetProperty("input").GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_store_that_cannot_write_refuses_predictions_with_503()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Audit:Directory"] = "/dev/null/audit" });
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "fine" } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("audit store cannot record", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_open_serves_the_prediction_and_logs_a_critical_line()
    {
        var logs = new ConcurrentQueue<(LogLevel Level, string Message)>();
        using var factory = new ConfiguredServiceFactory(new() { ["Audit:Directory"] = "/dev/null/audit", ["Audit:FailOpen"] = "true" })
            .WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(logs)))));
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "fine" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(logs, l => l.Level == LogLevel.Critical && l.Message.Contains("UNAUDITED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ten_thousand_concurrent_predictions_each_appear_exactly_once()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var texts = Enumerable.Range(0, 10_000).Select(i => $"prediction number {i} was a fine film").ToArray();
        var returned = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(texts.Chunk(16), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (chunk, ct) =>
        {
            var response = await client.PostAsJsonAsync("/predict", new { texts = chunk }, ct);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            foreach (var prediction in body.RootElement.GetProperty("predictions").EnumerateArray())
            {
                returned.Add(prediction.GetProperty("id").GetString()!);
            }
        });

        var stored = AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString() == "prediction")
            .Select(r => (Id: r.GetProperty("id").GetString()!, Text: r.GetProperty("input").GetProperty("text").GetString()!))
            .ToArray();
        Assert.Equal(10_000, stored.Length);
        Assert.Equal(texts.Order(StringComparer.Ordinal), stored.Select(s => s.Text).Order(StringComparer.Ordinal));
        Assert.Equal(returned.Order(StringComparer.Ordinal), stored.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.True(AuditVerifier.Verify(factory.AuditDirectory).Ok);
    }

    [Fact]
    public async Task Audit_list_filters_and_pages_over_http()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/predict", new { texts = new[] { "wonderful", "awful" } });
        }

        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/audit?kind=prediction&label=POSITIVE&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            ids.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        var bad = await client.GetAsync("/audit?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var missing = await client.GetAsync("/audit/00000000000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task WaitForRecordsAsync(string directory, int count)
    {
        for (var i = 0; i < 100 && AuditSegments.List(directory).SelectMany(File.ReadAllLines).Count() < count; i++)
        {
            await Task.Delay(20);
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<(LogLevel, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<(LogLevel, string)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue((logLevel, formatter(state, exception)));
        }
    }

    [Fact]
    public async Task A_tail_cut_while_the_service_was_stopped_stays_listed_by_verify_after_the_restart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mm-audit-cut-" + Guid.NewGuid().ToString("N"));
        using (var before = new ConfiguredServiceFactory(new() { ["Audit:Directory"] = directory }))
        {
            var response = await before.CreateClient().PostAsJsonAsync("/predict", new { texts = new[] { "one", "two" } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var segment = AuditSegments.List(directory)[^1];
        File.WriteAllLines(segment, File.ReadAllLines(segment)[..^1]);

        using (var after = new ConfiguredServiceFactory(new() { ["Audit:Directory"] = directory }))
        {
            var client = after.CreateClient();
            await client.PostAsJsonAsync("/predict", new { texts = new[] { "three" } });
            var verify = await client.GetFromJsonAsync<JsonElement>("/audit/verify");
            Assert.True(verify.GetProperty("ok").GetBoolean());
            var loss = Assert.Single(verify.GetProperty("losses").EnumerateArray());
            Assert.Equal("head_ahead", loss.GetProperty("repair").GetString());
        }

        Directory.Delete(directory, recursive: true);
    }
}
