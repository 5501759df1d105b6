using Microsoft.Extensions.Time.Testing;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>The mailer waits out its backoff on the service's clock (TimeProvider), not on its own timer.</summary>
public sealed class RetryBackoffTests
{
    [Fact]
    public async Task A_failed_attempt_is_retried_once_the_backoff_has_passed_on_the_services_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var smtp = new SmtpServer(start: false);
        using var host = new MailerHost(smtp.Port, clock, ("Alerts:Smtp:Security", "None"), ("Alerts:InitialBackoffMs", "3600000"), ("Alerts:MaxBackoffMs", "3600000"));
        var notification = await host.SendAsync("backoff");

        // Nothing listens yet: the first attempt is refused, and the next one is an hour away.
        await host.AttemptFailedAsync(notification);
        Assert.Equal(1, host.Mailer.FailedAttempts);

        // An hour passes on the service's clock only; the retry goes out to the server that is up now.
        smtp.Start();
        clock.Advance(TimeSpan.FromHours(1));
        var mail = await smtp.WaitForAsync(m => m.Count > 0, MailerHost.Deadline);
        Assert.Equal(notification.NotificationId, Assert.Single(mail).Header("X-ModelMonitor-Notification"));
        Assert.Equal(1, host.Mailer.FailedAttempts);
    }
}
