using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>SMTP authentication and STARTTLS settings take effect against a real server.</summary>
public sealed class SmtpSettingsTests
{
    /// <summary>The reason the first failed attempt left in the outbox, waiting for it.</summary>
    private static async Task<string> LastErrorAsync(ServiceFactory factory)
    {
        var pending = Path.Combine(factory.AuditDirectory + "-alerts", "pending");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var file in Directory.Exists(pending) ? Directory.EnumerateFiles(pending, "*.json") : [])
            {
                using var notification = JsonDocument.Parse(File.ReadAllText(file));
                if (notification.RootElement.GetProperty("last_error").GetString() is { } lastError)
                {
                    return lastError;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "No failed attempt was recorded within 30 s.");
            await Task.Delay(100);
        }
    }

    private static async Task FireAsync(HttpClient client)
    {
        await MonitoringClient.WaitForReferenceAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Take(300).Select(b => b.Text));
        await MonitoringClient.EvaluateAsync(client);
    }

    [Fact]
    public async Task Credentials_authenticate_with_a_server_that_requires_auth()
    {
        using var smtp = new SmtpServer(credentials: ("alerts", "s3cret-pass"));
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:Security", "None"), ("Alerts:Smtp:UserName", "alerts"), ("Alerts:Smtp:Password", "s3cret-pass")));
        await FireAsync(factory.CreateClient());
        var mail = await smtp.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(30));
        Assert.NotEmpty(mail);
        Assert.Contains("auth ok alerts", smtp.Output);
    }

    [Fact]
    public async Task Wrong_credentials_keep_the_alert_in_the_outbox_with_the_servers_reason()
    {
        using var smtp = new SmtpServer(credentials: ("alerts", "s3cret-pass"));
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:Security", "None"), ("Alerts:Smtp:UserName", "alerts"), ("Alerts:Smtp:Password", "wrong")));
        await FireAsync(factory.CreateClient());
        var lastError = await LastErrorAsync(factory);
        Assert.Contains("535", lastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
        Assert.Contains("auth failed alerts", smtp.Output);
    }

    [Fact]
    public async Task Credentials_are_not_sent_in_clear_text_when_the_server_offers_no_starttls()
    {
        using var smtp = new SmtpServer(credentials: ("alerts", "s3cret-pass"));
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:UserName", "alerts"), ("Alerts:Smtp:Password", "s3cret-pass")));
        await FireAsync(factory.CreateClient());
        Assert.Contains("not sent in clear text", await LastErrorAsync(factory), StringComparison.Ordinal);
        Assert.DoesNotContain(smtp.Output, line => line.StartsWith("auth ", StringComparison.Ordinal));
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task Starttls_is_required_when_configured_so_a_server_without_it_gets_nothing_in_clear_text()
    {
        using var smtp = new SmtpServer();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:Security", "StartTls")));
        var client = factory.CreateClient();
        await FireAsync(client);

        // The attempt has failed (and been recorded) rather than gone out in clear text.
        Assert.Contains("STARTTLS", await LastErrorAsync(factory), StringComparison.Ordinal);
        var mailer = factory.Services.GetRequiredService<AlertMailer>();
        Assert.True(mailer.FailedAttempts >= 1);
        Assert.Equal(0, mailer.Sent);
        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        Assert.True(alerts.RootElement.GetProperty("email").GetProperty("pending").GetInt32() > 0);
        Assert.Empty(smtp.Messages());
    }
}
