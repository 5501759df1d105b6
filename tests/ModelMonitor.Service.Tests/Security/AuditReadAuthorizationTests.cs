using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelMonitor.Service.Tests.Security;

/// <summary>Who may read the audit (#15 item 4): raw input texts are not for anyone once a key is configured.</summary>
public sealed class AuditReadAuthorizationTests
{
    private const string Admin = "admin-key-0123456789";
    private const string Audit = "audit-key-0123456789";
    private const string Feedback = "feedback-key-0123456789";

    [Fact]
    public async Task Once_a_key_is_configured_reading_the_audit_needs_the_audit_or_admin_key()
    {
        using var factory = new ConfiguredServiceFactory(new()
        {
            ["Security:AdminApiKey"] = Admin,
            ["Security:AuditApiKey"] = Audit,
            ["Security:FeedbackApiKey"] = Feedback,
        });
        var client = factory.CreateClient();
        var predicted = await client.PostAsJsonAsync("/predict", new { texts = new[] { "a private text" } });
        using var body = JsonDocument.Parse(await predicted.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("predictions")[0].GetProperty("id").GetString();

        foreach (var path in new[] { "/audit", $"/audit/{id}", "/audit/verify" })
        {
            await AssertProblemAsync(client, path, null, HttpStatusCode.Unauthorized, "needs an API key");
            await AssertProblemAsync(client, path, "wrong-key", HttpStatusCode.Unauthorized, "does not hold a valid key");
            await AssertProblemAsync(client, path, Feedback, HttpStatusCode.Forbidden, "does not allow");
            foreach (var key in new[] { Audit, Admin })
            {
                var allowed = await SendAsync(client, HttpMethod.Get, path, key);
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }

        var record = await (await SendAsync(client, HttpMethod.Get, $"/audit/{id}", Audit)).Content.ReadAsStringAsync();
        Assert.Contains("a private text", record, StringComparison.Ordinal);

        // The audit key reads; it does not administer.
        await AssertProblemAsync(client, "/drift/evaluate", Audit, HttpStatusCode.Forbidden, "does not allow", HttpMethod.Post);
    }

    [Fact]
    public async Task Any_one_key_closes_the_audit_even_one_that_cannot_read_it()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Security:FeedbackApiKey"] = Feedback });
        var client = factory.CreateClient();
        await AssertProblemAsync(client, "/audit", null, HttpStatusCode.Unauthorized, "needs an API key");
        await AssertProblemAsync(client, "/audit", Feedback, HttpStatusCode.Forbidden, "does not allow");
    }

    [Fact]
    public async Task With_no_key_the_audit_is_open_and_startup_warns_that_raw_texts_are_readable_by_anyone()
    {
        var open = new Captured();
        using (var factory = new LoggedFactory(new(), open))
        {
            var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);
        }

        Assert.Contains(open.Messages, m => m.Contains("readable by anyone", StringComparison.Ordinal) && m.Contains("raw input texts", StringComparison.Ordinal));

        var secured = new Captured();
        using (var factory = new LoggedFactory(new() { ["Security:AuditApiKey"] = Audit }, secured))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/audit")).StatusCode);
        }

        Assert.DoesNotContain(secured.Messages, m => m.Contains("readable by anyone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_on_an_open_endpoint_is_ignored_while_the_same_key_is_refused_where_a_policy_applies()
    {
        // The policies name the key scheme and nothing authenticates up front, so /predict serves a
        // caller whatever its header holds, and /audit checks the same header and refuses it.
        using var factory = new ConfiguredServiceFactory(new() { ["Security:AuditApiKey"] = Audit });
        var client = factory.CreateClient();
        using (var predict = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { texts = new[] { "open to all" } }) })
        {
            predict.Headers.Add("X-Api-Key", "wrong-key");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(predict)).StatusCode);
        }

        await AssertProblemAsync(client, "/audit", "wrong-key", HttpStatusCode.Unauthorized, "does not hold a valid key");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/audit", Audit)).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpClient client, string path, string? key, HttpStatusCode expected, string mentions, HttpMethod? method = null)
    {
        var response = await SendAsync(client, method ?? HttpMethod.Get, path, key);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Every log message the service writes, through an extra logger provider.</summary>
    private sealed class Captured : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }

    private sealed class LoggedFactory(Dictionary<string, string?> settings, ILoggerProvider provider) : ServiceFactoryWith(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton(provider));
        }
    }
}
