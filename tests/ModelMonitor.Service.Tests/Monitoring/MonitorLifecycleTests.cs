using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Background evaluation, re-baselining, resolution e-mail and key hygiene.</summary>
public sealed class MonitorLifecycleTests
{
    private static async Task<JsonElement> WaitForEvaluationAsync(HttpClient client, long after)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
            if (drift.RootElement.GetProperty("evaluation") is { ValueKind: JsonValueKind.Object } evaluation && evaluation.GetProperty("sequence").GetInt64() > after)
            {
                return evaluation.Clone();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No evaluation ran in the background.");
    }

    [Fact]
    public async Task Evaluations_run_in_the_background_every_n_predictions()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "100"), ("Drift:EvaluateEveryPredictions", "100")));
        var client = factory.CreateClient();
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Take(220).Select(d => d.Text));

        // The interval (60 s) is longer than the wait, so these come from the prediction count.
        var evaluation = await WaitForEvaluationAsync(client, 0);
        Assert.True(evaluation.GetProperty("window_count").GetInt32() >= 100);
    }

    [Fact]
    public async Task Count_triggered_evaluations_are_spaced_however_fast_predictions_arrive()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "100"), ("Drift:EvaluateEveryPredictions", "50"), ("Drift:MinEvaluationSeconds", "4")));
        var client = factory.CreateClient();

        // Every 50 predictions asks for an evaluation; they must still start at least 4 s apart.
        // Waits on the second evaluation (an event) and checks when it ran, instead of sleeping
        // and asserting that nothing happened.
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Take(300).Select(d => d.Text));
        var first = await WaitForEvaluationAsync(client, 0);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Skip(300).Take(100).Select(d => d.Text));
        var second = await WaitForEvaluationAsync(client, first.GetProperty("sequence").GetInt64());
        var gap = second.GetProperty("evaluated_at").GetDateTimeOffset() - first.GetProperty("evaluated_at").GetDateTimeOffset();
        Assert.True(gap >= TimeSpan.FromSeconds(3.5), $"count-triggered evaluations ran {gap.TotalSeconds:F2} s apart");

        // An admin's evaluation is not held back.
        var now = await MonitoringClient.EvaluateAsync(client);
        Assert.True(now.GetProperty("evaluation").GetProperty("sequence").GetInt64() > second.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Evaluations_run_in_the_background_on_the_interval()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, null, ("Drift:LiveReferenceSize", "100"), ("Drift:EvaluationIntervalSeconds", "1")));
        var client = factory.CreateClient();
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Take(150).Select(d => d.Text));
        var first = await WaitForEvaluationAsync(client, 0);
        var second = await WaitForEvaluationAsync(client, first.GetProperty("sequence").GetInt64());
        Assert.Equal(150, second.GetProperty("window_count").GetInt32());
    }

    [Fact]
    public async Task Posted_texts_become_the_reference_and_an_alert_resolves_with_an_email_when_traffic_returns_to_it()
    {
        using var smtp = new SmtpServer();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(null, smtp, ("Drift:WindowSize", "400")));
        var client = factory.CreateClient();
        var dev = MonitoringClient.Dev;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/reference") { Content = JsonContent.Create(new { texts = dev.Take(436).Select(d => d.Text), labels = dev.Take(436).Select(d => d.Label) }) })
        {
            request.Headers.Add("X-Api-Key", MonitoringClient.AdminKey);
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reference = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(("ready", "request", 436), (reference.RootElement.GetProperty("state").GetString(), reference.RootElement.GetProperty("source").GetString(), reference.RootElement.GetProperty("count").GetInt32()));
            Assert.Equal("reference", reference.RootElement.GetProperty("baseline").GetProperty("source").GetString());
            Assert.Equal(("live", "collecting"), (reference.RootElement.GetProperty("scores").GetProperty("source").GetString(), reference.RootElement.GetProperty("scores").GetProperty("state").GetString()));
        }

        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(400).Select(b => b.Text));
        var drifted = await MonitoringClient.EvaluateAsync(client);
        Assert.True(drifted.GetProperty("drift_detected").GetBoolean());
        await MonitoringClient.PredictAsync(client, dev.Skip(436).Take(400).Select(d => d.Text));
        var clean = await MonitoringClient.EvaluateAsync(client);
        Assert.Equal("none", clean.GetProperty("severity").GetString());

        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        Assert.Empty(alerts.RootElement.GetProperty("active").EnumerateArray());
        var fired = alerts.RootElement.GetProperty("recent").EnumerateArray().ToArray();
        Assert.NotEmpty(fired);
        Assert.All(fired, a => Assert.Equal("resolved", a.GetProperty("state").GetString()));
        var mail = await smtp.WaitForAsync(m => m.Count(x => x.Header("Subject").Contains("RESOLVED", StringComparison.Ordinal)) >= fired.Length, TimeSpan.FromSeconds(30));
        Assert.Equal(fired.Length, mail.Count(x => x.Header("Subject").Contains("RESOLVED", StringComparison.Ordinal)));
        Assert.Equal(fired.Length, mail.Count(x => x.Header("Subject").Contains("FIRING", StringComparison.Ordinal)));

        // Re-baseline on the live window: the latest 400 dev sentences become the reference.
        using var rebaseline = new HttpRequestMessage(HttpMethod.Post, "/reference") { Content = JsonContent.Create(new { source = "window" }) };
        rebaseline.Headers.Add("X-Api-Key", MonitoringClient.AdminKey);
        using var live = JsonDocument.Parse(await (await client.SendAsync(rebaseline)).Content.ReadAsStringAsync());
        Assert.Equal(("live", 400), (live.RootElement.GetProperty("source").GetString(), live.RootElement.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_restart_puts_the_window_its_feedback_and_the_score_reference_back_from_the_audit_trail()
    {
        var data = Directory.CreateTempSubdirectory("mm-restart-window-").FullName;
        try
        {
            // The first 100 predictions become the score reference; 50 of the 120 in the window come after it.
            var settings = MonitoringClient.Settings(
                ModelMonitor.Testing.TestPaths.Sst2Dev,
                null,
                ("Audit:Directory", Path.Combine(data, "audit")),
                ("Alerts:OutboxDirectory", Path.Combine(data, "alerts")),
                ("Drift:WindowSize", "120"),
                ("Drift:LiveReferenceSize", "100"),
                ("Drift:MinWindowSize", "40"));
            var dev = MonitoringClient.Dev.Take(150).ToArray();
            JsonElement before;
            using (var first = new ConfiguredServiceFactory(settings))
            {
                var client = first.CreateClient();
                await MonitoringClient.WaitForReferenceAsync(client);
                var ids = await MonitoringClient.PredictAsync(client, dev.Select(d => d.Text));
                await MonitoringClient.FeedbackAsync(client, ids.Zip(dev, (id, d) => (id, d.Label)).Skip(50));
                before = await MonitoringClient.EvaluateAsync(client);
            }

            using var second = new ConfiguredServiceFactory(settings);
            var restarted = second.CreateClient();
            await MonitoringClient.WaitForReferenceAsync(restarted);
            var after = await MonitoringClient.EvaluateAsync(restarted);
            var (a, b) = (before.GetProperty("evaluation"), after.GetProperty("evaluation"));
            Assert.Equal((120, 100), (b.GetProperty("window_count").GetInt32(), b.GetProperty("window_labelled").GetInt32()));
            var (scoresBefore, scoresAfter) = (before.GetProperty("reference").GetProperty("scores"), after.GetProperty("reference").GetProperty("scores"));
            Assert.Equal(("live", "ready", 100), (scoresAfter.GetProperty("source").GetString(), scoresAfter.GetProperty("state").GetString(), scoresAfter.GetProperty("collected").GetInt32()));
            Assert.Equal(scoresBefore.GetProperty("frozen_at").GetDateTimeOffset(), scoresAfter.GetProperty("frozen_at").GetDateTimeOffset());
            Assert.Equal(12, MonitoringClient.Features(after).Count());
            Assert.Equal(50, MonitoringClient.Features(after).Single(f => f.GetProperty("feature").GetString() == "confidence").GetProperty("current_count").GetInt32());
            Assert.Equal(a.GetProperty("performance").GetProperty("accuracy").GetDouble(), b.GetProperty("performance").GetProperty("accuracy").GetDouble());
            Assert.Equal(
                MonitoringClient.Features(before).Select(f => f.GetProperty("p_value").GetDouble()),
                MonitoringClient.Features(after).Select(f => f.GetProperty("p_value").GetDouble()));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Api_keys_never_reach_the_logs()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = new KeyedFactory(capture);
        var client = factory.CreateClient();
        foreach (var key in new[] { MonitoringClient.AdminKey, "wrong-key-that-is-long-enough", "feedback-key-0123456789" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/reference") { Content = JsonContent.Create(new { source = "window" }) };
            request.Headers.Add("X-Api-Key", key);
            await client.SendAsync(request);
            using var feedback = new HttpRequestMessage(HttpMethod.Post, "/feedback") { Content = JsonContent.Create(new { feedback = new[] { new { prediction_id = "x", label = 1 } } }) };
            feedback.Headers.Add("X-Api-Key", key);
            await client.SendAsync(feedback);
        }

        Assert.NotEmpty(capture.Messages);
        Assert.All(capture.Messages, m => Assert.DoesNotContain("key-0123456789", m, StringComparison.Ordinal));
        Assert.All(capture.Messages, m => Assert.DoesNotContain("wrong-key", m, StringComparison.Ordinal));
    }

    private sealed class KeyedFactory(ILoggerProvider capture) : ServiceFactory(MonitoringClient.Settings(null, null, ("Security:FeedbackApiKey", "feedback-key-0123456789"), ("Log:MinimumLevel", "Debug")))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton(capture));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => messages;

        public ILogger CreateLogger(string categoryName) => new Capturing(messages);

        public void Dispose()
        {
        }

        private sealed class Capturing(System.Collections.Concurrent.ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + " " + state + " " + exception);
        }
    }
}
