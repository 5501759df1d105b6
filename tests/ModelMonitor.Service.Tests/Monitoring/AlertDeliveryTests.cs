using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Alert e-mail through SMTP outages and restarts: nothing lost, nothing sent twice.</summary>
public sealed class AlertDeliveryTests : IDisposable
{
    private readonly SmtpServer smtp = new(start: false);
    private readonly string data = Directory.CreateTempSubdirectory("mm-delivery-").FullName;

    public void Dispose()
    {
        smtp.Dispose();
        Directory.Delete(data, recursive: true);
    }

    private ConfiguredServiceFactory Service() => new(MonitoringClient.Settings(
        TestPaths.Sst2Train,
        smtp,
        ("Audit:Directory", Path.Combine(data, "audit")),
        ("Alerts:OutboxDirectory", Path.Combine(data, "alerts"))));

    private static async Task<JsonElement> AlertsAsync(HttpClient client)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync("/alerts"));
        return body.RootElement.Clone();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_smtp_outage_followed_by_recovery_delivers_every_alert_exactly_once()
    {
        using var factory = Service();
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var banking = MonitoringClient.Banking.Select(b => b.Text).ToArray();
        await MonitoringClient.PredictAsync(client, banking);
        var fired = await MonitoringClient.EvaluateAsync(client);
        var expected = fired.GetProperty("evaluation").GetProperty("breaches").GetArrayLength();
        Assert.True(expected >= 1);

        // Server down: every notification fails and is retried (two failed attempts each, at least); they wait in the outbox.
        var mailer = factory.Services.GetRequiredService<AlertMailer>();
        await WaitAsync(() => Task.FromResult(mailer.FailedAttempts >= 2 * expected));
        var email = (await AlertsAsync(client)).GetProperty("email");
        Assert.Equal(0, email.GetProperty("sent").GetInt64());
        Assert.Equal(expected, email.GetProperty("pending").GetInt32());
        Assert.Equal(expected, Directory.EnumerateFiles(Path.Combine(data, "alerts", "pending"), "*.json").Count());

        smtp.Start();
        await WaitAsync(async () => (await AlertsAsync(client)).GetProperty("email") is var status && status.GetProperty("sent").GetInt64() == expected && status.GetProperty("pending").GetInt32() == 0);

        // The outbox is empty, so the mailer has nothing left to send: the server holds all it will ever get from this run.
        var mail = smtp.Messages();
        Assert.Equal(expected, mail.Count);
        Assert.Equal(expected, mail.Select(m => m.Header("Message-ID")).Distinct().Count());
        Assert.Equal(expected, (await AlertsAsync(client)).GetProperty("email").GetProperty("sent").GetInt64());
        using var deliveries = JsonDocument.Parse(await MonitoringClient.GetAuditAsync(client, "/audit?kind=alert_delivery"));
        Assert.All(deliveries.RootElement.GetProperty("records").EnumerateArray(), r => Assert.True(r.GetProperty("attempts").GetInt32() > 1));
    }

    /// <summary>A first run of the service, with the mail server down, sees banking77 traffic and fires alerts; returns how many.</summary>
    private async Task<int> FireAlertsAsync(bool waitForOutbox)
    {
        using var first = Service();
        var client = first.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Banking.Select(b => b.Text));
        await MonitoringClient.EvaluateAsync(client);
        var fired = (await AlertsAsync(client)).GetProperty("active").GetArrayLength();
        if (waitForOutbox)
        {
            await WaitAsync(async () => (await AlertsAsync(client)).GetProperty("email").GetProperty("pending").GetInt32() == fired);
        }

        return fired;
    }

    [Fact]
    public async Task A_restart_keeps_unsent_alerts_and_sends_them_once_the_server_is_back()
    {
        var fired = await FireAlertsAsync(waitForOutbox: true);

        Assert.True(fired >= 1);
        var waiting = Directory.EnumerateFiles(Path.Combine(data, "alerts", "pending"), "*.json").Select(Path.GetFileNameWithoutExtension).ToArray();
        Assert.Equal(fired, waiting.Length);
        smtp.Start();
        using var second = Service();
        var restarted = second.CreateClient();
        var mail = await smtp.WaitForAsync(m => m.Count >= fired, TimeSpan.FromSeconds(30));
        Assert.Equal(waiting.Order(), mail.Select(m => m.Header("X-ModelMonitor-Notification")).Order());
        await WaitAsync(async () => (await AlertsAsync(restarted)).GetProperty("email").GetProperty("pending").GetInt32() == 0);

        // The alerts are restored as firing, so the same drift after the restart does not fire (or mail) them again.
        var alerts = await AlertsAsync(restarted);
        Assert.Equal(fired, alerts.GetProperty("active").GetArrayLength());
        await MonitoringClient.WaitForReferenceAsync(restarted);
        await MonitoringClient.PredictAsync(restarted, MonitoringClient.Banking.Select(b => b.Text));
        var again = await MonitoringClient.EvaluateAsync(restarted);
        Assert.True(again.GetProperty("evaluation").GetProperty("breaches").GetArrayLength() >= 1, "the same drift is seen again");

        // An evaluation queues its e-mail before it answers; this one queued none, so nothing more can go out.
        Assert.Equal(0, second.Services.GetRequiredService<AlertMailer>().Queued);
        Assert.Equal(fired, smtp.Messages().Count);
    }

    [Fact]
    public async Task An_alert_whose_mail_never_reached_the_outbox_is_mailed_after_a_restart()
    {
        var fired = await FireAlertsAsync(waitForOutbox: false);

        // As if the service had died after committing the alerts and before saving their mail.
        Assert.True(fired >= 1);
        Directory.Delete(Path.Combine(data, "alerts"), recursive: true);
        smtp.Start();
        using var second = Service();
        var restarted = second.CreateClient();
        var mail = await smtp.WaitForAsync(m => m.Count >= fired, TimeSpan.FromSeconds(30));
        Assert.Equal(fired, second.Services.GetRequiredService<AlertMailer>().Recovered);
        Assert.Equal(fired, mail.Select(m => m.Header("X-ModelMonitor-Notification")).Distinct().Count());
        await WaitAsync(async () => (await AlertsAsync(restarted)).GetProperty("email").GetProperty("sent").GetInt64() == fired);

        // Delivered and recorded: a third start finds nothing undelivered (it recovers at startup, before it
        // answers), and the sent count survives the restart.
        second.Dispose();
        using var third = Service();
        var email = (await AlertsAsync(third.CreateClient())).GetProperty("email");
        Assert.Equal(0, third.Services.GetRequiredService<AlertMailer>().Recovered);
        Assert.Equal(fired, email.GetProperty("sent").GetInt64());
        Assert.Equal(0, email.GetProperty("pending").GetInt32());
    }
}
