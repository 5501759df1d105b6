using System.Text.Json;
using ModelMonitor.Service.Tests.Monitoring;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>Each SMTP security mode against a real server (aiosmtpd), and the server certificate checks.</summary>
public sealed class SmtpSecurityTests
{
    private static async Task<ReceivedMail> DeliveredAsync(SmtpServer smtp, MailerHost host, string subject)
    {
        var notification = await host.SendAsync(subject);
        var mail = await smtp.WaitForAsync(m => m.Any(x => x.Header("X-ModelMonitor-Notification") == notification.NotificationId), MailerHost.Deadline);
        var received = Assert.Single(mail, x => x.Header("X-ModelMonitor-Notification") == notification.NotificationId);
        Assert.Equal(subject, received.Header("Subject"));
        Assert.Equal($"<{notification.NotificationId}@modelmonitor>", received.Header("Message-ID"));
        Assert.Contains($"Test alert {subject}.", received.Body, StringComparison.Ordinal);
        await MailerHost.WaitUntilAsync(() => !host.IsPending(notification), "the sent notification left the outbox");
        return received;
    }

    [Fact]
    public async Task Plain_mode_delivers_to_a_plain_server()
    {
        using var smtp = new SmtpServer();
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", "None"));
        var mail = await DeliveredAsync(smtp, host, "plain");
        Assert.Equal("ml-team@example.com", mail.Header("To"));
        Assert.Equal("modelmonitor@localhost", mail.Header("From"));
    }

    [Fact]
    public async Task Starttls_delivers_when_the_operator_trusts_the_servers_self_signed_certificate_through_a_pem_file()
    {
        using var certificate = new TestCertificate();
        // The server refuses MAIL before STARTTLS, so a delivered message went over TLS.
        using var smtp = new SmtpServer(tls: certificate.Server());
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", "StartTls"), ("Alerts:Smtp:TrustedCertificatesPath", certificate.CertificatePem));
        await DeliveredAsync(smtp, host, "starttls-pem");
    }

    [Theory]
    [InlineData("StartTls")]
    [InlineData("StartTlsWhenAvailable")]
    public async Task The_same_starttls_server_is_refused_without_the_trust_setting_and_the_mail_stays_in_the_outbox(string security)
    {
        using var certificate = new TestCertificate();
        using var smtp = new SmtpServer(tls: certificate.Server());
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", security));
        var notification = await host.SendAsync("untrusted");

        var failed = await host.AttemptFailedAsync(notification);
        var reason = MailerHost.Reason(failed);
        Assert.Contains("not trusted", reason, StringComparison.Ordinal);
        Assert.Contains(certificate.Sha256, reason, StringComparison.Ordinal);
        Assert.True(host.IsPending(notification));
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(host.PendingDirectory, notification.NotificationId + ".json")));
        Assert.Contains("not trusted", saved.RootElement.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Mailer.Sent);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task A_pinned_sha256_fingerprint_trusts_exactly_that_certificate()
    {
        using var certificate = new TestCertificate();
        using var smtp = new SmtpServer(tls: certificate.Server());
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", "StartTls"), ("Alerts:Smtp:TrustedCertificateSha256", certificate.Sha256.ToLowerInvariant()));
        await DeliveredAsync(smtp, host, "starttls-pin");
    }

    [Fact]
    public async Task A_pin_of_another_certificate_does_not_trust_the_server()
    {
        using var certificate = new TestCertificate();
        using var other = new TestCertificate();
        using var smtp = new SmtpServer(tls: certificate.Server());
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", "StartTls"), ("Alerts:Smtp:TrustedCertificateSha256", other.Sha256));
        var notification = await host.SendAsync("wrong-pin");
        Assert.Contains(certificate.Sha256, MailerHost.Reason(await host.AttemptFailedAsync(notification)), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task Smtps_speaks_tls_from_the_first_byte()
    {
        using var certificate = new TestCertificate();
        using var smtp = new SmtpServer(tls: certificate.Server(implicitTls: true));
        using var host = new MailerHost(smtp.Port, ("Alerts:Smtp:Security", "SslOnConnect"), ("Alerts:Smtp:TrustedCertificatesPath", certificate.CertificatePem));
        await DeliveredAsync(smtp, host, "smtps");
    }
}
