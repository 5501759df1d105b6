using System.Net;
using System.Net.Mail;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// Sends alert e-mail over SMTP (System.Net.Mail), off the evaluation path. The single owner of the
/// outbox: a notification is saved there before the first attempt, retried with exponential
/// backoff while the server is down, and deleted only after the server accepted it, so an outage
/// or a restart loses nothing. Each notification carries a stable Message-ID.
/// </summary>
internal sealed class AlertMailer : BackgroundService
{
    private readonly Channel<AlertNotification> incoming = Channel.CreateBounded<AlertNotification>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly IOptions<AlertOptions> options;
    private readonly TimeProvider time;
    private readonly AuditTrail audit;
    private readonly ServiceMetrics metrics;
    private readonly ILogger<AlertMailer> logger;
    private readonly AlertOutbox outbox;
    private long sent;

    public AlertMailer(IOptions<AlertOptions> options, TimeProvider time, AuditTrail audit, ServiceMetrics metrics, ILogger<AlertMailer> logger)
    {
        this.options = options;
        this.time = time;
        this.audit = audit;
        this.metrics = metrics;
        this.logger = logger;
        outbox = new AlertOutbox(options.Value.OutboxDirectory);
    }

    public bool Enabled => options.Value.Smtp.Enabled;

    public long Sent => Interlocked.Read(ref sent);

    public int Pending => outbox.PendingCount;

    public int Failed => outbox.FailedCount;

    /// <summary>Queues a notification; it is on disk before the first attempt.</summary>
    public async ValueTask EnqueueAsync(AlertNotification notification, CancellationToken cancellationToken) =>
        await incoming.Writer.WriteAsync(notification, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = outbox.LoadPending((file, error) => Log.OutboxUnreadable(logger, file, error.Message)).ToList();
        if (queue.Count > 0)
        {
            Log.OutboxRestored(logger, queue.Count, outbox.Directory);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            while (incoming.Reader.TryRead(out var fresh))
            {
                if (!outbox.Contains(fresh.NotificationId) && queue.All(q => q.NotificationId != fresh.NotificationId))
                {
                    queue.Add(fresh);
                    try
                    {
                        outbox.Save(fresh);
                    }
                    catch (IOException e)
                    {
                        Log.OutboxWriteFailed(logger, fresh.NotificationId, e.Message);
                    }
                }
            }

            var now = time.GetUtcNow();
            foreach (var due in queue.Where(q => q.NextAttemptAt <= now).ToArray())
            {
                queue.Remove(due);
                try
                {
                    var next = await AttemptAsync(due, stoppingToken);
                    if (next is not null)
                    {
                        queue.Add(next);
                    }
                }
                catch (IOException e)
                {
                    // The outbox itself failed (disk full, permissions): keep the notification in memory and retry later.
                    Log.OutboxWriteFailed(logger, due.NotificationId, e.Message);
                    queue.Add(due with { NextAttemptAt = time.GetUtcNow().AddMilliseconds(options.Value.MaxBackoffMs) });
                }
            }

            var wait = queue.Count == 0 ? Timeout.InfiniteTimeSpan : queue.Min(q => q.NextAttemptAt) - time.GetUtcNow();
            if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
            {
                continue;
            }

            using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            if (wait != Timeout.InfiniteTimeSpan)
            {
                delay.CancelAfter(wait);
            }

            try
            {
                await incoming.Reader.WaitToReadAsync(delay.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The earliest retry is due.
            }
        }
    }

    /// <summary>One delivery attempt. Returns the notification to retry later, or null when it is done (sent or given up).</summary>
    private async Task<AlertNotification?> AttemptAsync(AlertNotification notification, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var attempts = notification.Attempts + 1;
        try
        {
            await SendAsync(notification, settings.Smtp, stoppingToken);
        }
        catch (Exception e) when (e is SmtpException or InvalidOperationException or IOException or FormatException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException && !stoppingToken.IsCancellationRequested)
        {
            metrics.AlertsFailed.WithLabels(notification.Severity).Inc();
            var reason = e.GetBaseException().Message;
            if (settings.MaxAttempts > 0 && attempts >= settings.MaxAttempts)
            {
                Log.AlertGaveUp(logger, notification.NotificationId, attempts, reason);
                outbox.MoveToFailed(notification with { Attempts = attempts, LastError = reason });
                return null;
            }

            var backoff = Math.Min(settings.MaxBackoffMs, settings.InitialBackoffMs * Math.Pow(2, Math.Min(attempts - 1, 30)));
            var retry = notification with { Attempts = attempts, NextAttemptAt = time.GetUtcNow().AddMilliseconds(backoff), LastError = reason };
            outbox.Save(retry);
            Log.AlertSendFailed(logger, notification.NotificationId, attempts, backoff, reason);
            return retry;
        }

        Interlocked.Increment(ref sent);
        metrics.AlertsSent.WithLabels(notification.Severity).Inc();
        Log.AlertSent(logger, notification.NotificationId, notification.Recipients.Count, attempts);
        try
        {
            await audit.AppendAsync([MonitoringAuditRecords.Delivery(time.GetUtcNow(), notification.NotificationId, notification.AlertId, notification.Recipients, attempts)], stoppingToken);
        }
        catch (ModelMonitor.Audit.AuditWriteException e)
        {
            Log.AlertDeliveryNotAudited(logger, notification.NotificationId, e.Message);
        }

        outbox.Delete(notification.NotificationId);
        return null;
    }

    private static async Task SendAsync(AlertNotification notification, SmtpOptions smtp, CancellationToken cancellationToken)
    {
        using var message = new MailMessage { From = new MailAddress(smtp.From), Subject = notification.Subject, Body = notification.Body, IsBodyHtml = false };
        foreach (var recipient in notification.Recipients)
        {
            message.To.Add(recipient);
        }

        // Stable per notification: a receiver (or a test) can tell a retry from a new alert.
        message.Headers.Add("Message-ID", $"<{notification.NotificationId}@modelmonitor>");
        message.Headers.Add("X-ModelMonitor-Notification", notification.NotificationId);
        message.Headers.Add("X-ModelMonitor-Severity", notification.Severity);
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.StartTls,
            Timeout = smtp.TimeoutMs,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
        };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
