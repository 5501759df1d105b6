using MailKit.Net.Smtp;
using MailKit.Security;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// Hands one notification to the SMTP server with MailKit: connects in the configured security
/// mode, checks the server's certificate (<see cref="ServerCertificateTrust"/>), authenticates,
/// sends. Each phase has a deadline that really ends it (MailKit's per-operation timeout plus a
/// cancellation token), so a server that accepts the connection and never answers costs one
/// timeout, not the mailer.
/// </summary>
internal sealed class SmtpSender(SmtpOptions smtp, ServerCertificateTrust trust, TimeProvider time)
{
    public async Task SendAsync(AlertNotification notification, CancellationToken stoppingToken)
    {
        using var message = AlertMimeMessage.Create(notification, smtp.From);
        using var client = new SmtpClient();
        string? refusal = null;
        client.ServerCertificateValidationCallback = (_, certificate, chain, errors) => trust.Accepts(certificate, chain, errors, out refusal);
        client.CheckCertificateRevocation = smtp.CheckCertificateRevocation;
        client.Timeout = smtp.ConnectTimeoutMs;
        try
        {
            await WithinAsync(smtp.ConnectTimeoutMs, "connecting", async token =>
            {
                await client.ConnectAsync(smtp.Host!, smtp.Port, ToMailKit(smtp.Security), token);
                if (smtp.HasCredentials)
                {
                    if (!client.IsSecure && smtp.Security != SmtpSecurity.None)
                    {
                        throw new AlertDeliveryException("the server did not offer STARTTLS, and credentials are not sent in clear text (Alerts:Smtp:Security=None allows that)");
                    }

                    await client.AuthenticateAsync(smtp.UserName!, smtp.Password ?? "", token);
                }
            }, stoppingToken);
        }
        catch (SslHandshakeException e) when (refusal is not null)
        {
            throw new AlertDeliveryException($"TLS handshake with {smtp.Host}:{smtp.Port} refused: {refusal}", e);
        }

        client.Timeout = smtp.SendTimeoutMs;
        await WithinAsync(smtp.SendTimeoutMs, "sending", async token => await client.SendAsync(message, token), stoppingToken);
        try
        {
            await WithinAsync(smtp.SendTimeoutMs, "disconnecting", token => client.DisconnectAsync(quit: true, token), stoppingToken);
        }
        catch (Exception e) when (e is AlertDeliveryException or IOException or MailKit.ProtocolException or MailKit.CommandException)
        {
            // The server has accepted the message: a failed QUIT must not make it go out twice.
        }
    }

    /// <summary>Runs one phase with a deadline; a passed deadline becomes an <see cref="AlertDeliveryException"/> naming the phase.</summary>
    private async Task WithinAsync(int timeoutMs, string phase, Func<CancellationToken, Task> action, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(timeoutMs), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        try
        {
            await action(linked.Token);
        }
        // MailKit's own Timeout (the same milliseconds) can fire a hair before the deadline does.
        catch (Exception e) when (!stoppingToken.IsCancellationRequested
            && (e is OperationCanceledException or IOException or TimeoutException)
            && (deadline.IsCancellationRequested || e is TimeoutException || e.InnerException is TimeoutException))
        {
            throw new AlertDeliveryException($"no answer from {smtp.Host}:{smtp.Port} within {timeoutMs} ms while {phase}", e);
        }
    }

    private static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
