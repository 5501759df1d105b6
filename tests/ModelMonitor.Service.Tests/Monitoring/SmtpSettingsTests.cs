using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>SMTP authentication and STARTTLS settings take effect against a real server.</summary>
public sealed class SmtpSettingsTests
{
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
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:UserName", "alerts"), ("Alerts:Smtp:Password", "s3cret-pass")));
        await FireAsync(factory.CreateClient());
        var mail = await smtp.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(30));
        Assert.NotEmpty(mail);
        Assert.Contains("auth ok alerts", smtp.Output);
    }

    [Fact]
    public async Task Wrong_credentials_keep_the_alert_in_the_outbox_with_the_servers_reason()
    {
        using var smtp = new SmtpServer(credentials: ("alerts", "s3cret-pass"));
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:UserName", "alerts"), ("Alerts:Smtp:Password", "wrong")));
        await FireAsync(factory.CreateClient());
        var pending = Path.Combine(factory.AuditDirectory + "-alerts", "pending");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? lastError = null;
        while (lastError is null && DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.Exists(pending) ? Directory.EnumerateFiles(pending, "*.json") : [])
            {
                using var notification = JsonDocument.Parse(File.ReadAllText(file));
                lastError = notification.RootElement.GetProperty("last_error").GetString() ?? lastError;
            }

            await Task.Delay(100);
        }

        Assert.NotNull(lastError);
        Assert.Empty(smtp.Messages());
        Assert.Contains("auth failed alerts", smtp.Output);
    }

    [Fact]
    public async Task Starttls_is_required_when_configured_so_a_server_without_it_gets_nothing_in_clear_text()
    {
        using var smtp = new SmtpServer();
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Dev, smtp, ("Alerts:Smtp:StartTls", "true")));
        var client = factory.CreateClient();
        await FireAsync(client);
        await Task.Delay(1500);
        using var alerts = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        Assert.True(alerts.RootElement.GetProperty("email").GetProperty("pending").GetInt32() > 0);
        Assert.Empty(smtp.Messages());
    }
}
