using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>A silent SMTP server costs one timeout per attempt; it does not stall the mailer.</summary>
public sealed class SmtpTimeoutTests
{
    [Fact]
    public async Task A_server_that_accepts_and_never_answers_times_out_and_the_mailer_goes_on()
    {
        using var silent = new HangingSmtpServer();
        using var working = new SmtpServer();
        using var host = new MailerHost(silent.Port, ("Alerts:Smtp:Security", "None"), ("Alerts:Smtp:ConnectTimeoutMs", "1000"));
        var stuck = await host.SendAsync("stuck");

        var failed = await host.AttemptFailedAsync(stuck);
        Assert.Contains("within 1000 ms while connecting", MailerHost.Reason(failed), StringComparison.Ordinal);
        Assert.True(silent.Accepted >= 1);
        Assert.True(host.IsPending(stuck));
        Assert.Equal(0, host.Mailer.Sent);

        // The same address now leads to a working server: a new alert goes out, and so does the stuck one on its retry.
        silent.RelayTo(working.Port);
        var later = await host.SendAsync("later");
        var mail = await working.WaitForAsync(m => m.Count >= 2, MailerHost.Deadline);
        Assert.Equal(
            new[] { later.NotificationId, stuck.NotificationId }.Order(),
            mail.Select(m => m.Header("X-ModelMonitor-Notification")).Order());
        await MailerHost.WaitUntilAsync(() => host.Mailer.Sent == 2 && !host.IsPending(stuck) && !host.IsPending(later), "both notifications were sent");
    }

    [Fact]
    public async Task A_server_that_stalls_after_data_times_out_while_sending_and_the_mail_stays_in_the_outbox()
    {
        using var stalling = new SmtpServer(stallDataSeconds: 60);
        using var host = new MailerHost(stalling.Port, ("Alerts:Smtp:Security", "None"), ("Alerts:Smtp:SendTimeoutMs", "1000"));
        var notification = await host.SendAsync("stalled");

        var failed = await host.AttemptFailedAsync(notification);
        Assert.Contains("within 1000 ms while sending", MailerHost.Reason(failed), StringComparison.Ordinal);
        Assert.True(host.IsPending(notification));
        Assert.Equal(0, host.Mailer.Sent);
    }
}
