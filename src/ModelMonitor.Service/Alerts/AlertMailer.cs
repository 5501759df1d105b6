using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// Sends alert e-mail over SMTP (MailKit, through <see cref="SmtpSender"/>), off the evaluation path. The single owner of the
/// outbox: a notification is saved there before the first attempt, retried with exponential
/// backoff while the server is down, and deleted only after the server accepted it, so an outage
/// or a restart loses nothing. Each notification carries a stable Message-ID.
/// </summary>
internal sealed partial class AlertMailer : BackgroundService
{
    // Unbounded: an alert's e-mail is already committed in its audit record when it arrives here,
    // and alerts are few; refusing one would only delay it until the next restart.
    private readonly Channel<AlertNotification> incoming = Channel.CreateUnbounded<AlertNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IOptions<AlertOptions> options;
    private readonly TimeProvider time;
    private readonly AuditTrail audit;
    private readonly ServiceMetrics metrics;
    private readonly ILogger<AlertMailer> logger;
    private readonly AlertOutbox outbox;
    private readonly SmtpSender? sender;
    private readonly ScaleOut.MonitorRole role;
    private long queued;
    private long sent;
    private long failedAttempts;

    public AlertMailer(IOptions<AlertOptions> options, TimeProvider time, AuditTrail audit, ServiceMetrics metrics, ILogger<AlertMailer> logger, ScaleOut.MonitorRole role)
    {
        this.role = role;
        this.options = options;
        this.time = time;
        this.audit = audit;
        this.metrics = metrics;
        this.logger = logger;
        outbox = new AlertOutbox(options.Value.OutboxDirectory);
        sender = options.Value.Smtp.Enabled ? new SmtpSender(options.Value.Smtp, ServerCertificateTrust.From(options.Value.Smtp), time) : null;
    }

    public bool Enabled => options.Value.Smtp.Enabled;

    /// <summary>Notifications handed to <see cref="EnqueueAsync"/> since start (not those restored from the outbox or the audit).</summary>
    public long Queued => Interlocked.Read(ref queued);

    /// <summary>Notifications the server accepted: those the audit trail records, then those since start.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Delivery attempts that failed since start (each retry counts).</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    public int Pending => outbox.PendingCount;

    public int Failed => outbox.FailedCount;

    /// <summary>Queues a notification; it is on disk before the first attempt.</summary>
    public async ValueTask EnqueueAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        await incoming.Writer.WriteAsync(notification, cancellationToken);
        Interlocked.Increment(ref queued);
    }

    /// <summary>
    /// After a restart: the e-mails the audit trail holds with no delivery record. Those already in
    /// the outbox (pending or failed) are skipped; the rest (the service stopped between committing
    /// the alert and saving its mail) are queued again. Also restores the sent count from the audit.
    /// </summary>
    public void Recover(IReadOnlyList<AlertNotification> undelivered, long delivered)
    {
        Interlocked.Exchange(ref sent, delivered);
        if (!Enabled)
        {
            return;
        }

        foreach (var notification in undelivered.Where(n => !outbox.Contains(n.NotificationId) && !outbox.HasFailed(n.NotificationId)))
        {
            Log.OutboxRecovered(logger, notification.NotificationId, notification.AlertId);
            incoming.Writer.TryWrite(notification);
            Recovered++;
        }
    }

    /// <summary>E-mails found in the audit trail, undelivered and missing from the outbox, at startup.</summary>
    public int Recovered { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (sender is not { } smtp)
        {
            // E-mail is off: nothing is queued, and a previous outbox stays on disk untouched.
            return;
        }

        if (role.Shared)
        {
            await DeliverWhileLeadingAsync(smtp, stoppingToken);
            return;
        }

        var queue = outbox.LoadPending((file, error) => Log.OutboxUnreadable(logger, file, error.Message)).ToList();
        if (queue.Count > 0)
        {
            Log.OutboxRestored(logger, queue.Count, outbox.Directory);
        }

        await DeliverAsync(smtp, queue, stoppingToken);
    }

    /// <summary>Delivers the queue and what arrives, retrying with backoff, until stopped.</summary>
    private async Task DeliverAsync(SmtpSender smtp, List<AlertNotification> queue, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            while (incoming.Reader.TryRead(out var fresh))
            {
                if (!outbox.Contains(fresh.NotificationId) && !outbox.HasFailed(fresh.NotificationId) && queue.All(q => q.NotificationId != fresh.NotificationId))
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
                    var next = await AttemptAsync(smtp, due, stoppingToken);
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

            // No retry is scheduled further out than the longest backoff, unless the clock jumped back: look again then.
            var longest = TimeSpan.FromMilliseconds(options.Value.MaxBackoffMs);
            if (wait != Timeout.InfiniteTimeSpan && wait > longest)
            {
                wait = longest;
            }

            // The retry timer runs on the injected clock, like the backoff it waits out.
            using var retryDue = new CancellationTokenSource(wait, time);
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, retryDue.Token);

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
    private async Task<AlertNotification?> AttemptAsync(SmtpSender smtp, AlertNotification notification, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var attempts = notification.Attempts + 1;
        try
        {
            await smtp.SendAsync(notification, stoppingToken);
        }
        catch (Exception e) when (IsDeliveryFailure(e) && !stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref failedAttempts);
            metrics.AlertsFailed.WithLabels(notification.Severity).Inc();
            var reason = Reason(e);
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

        try
        {
            outbox.Delete(notification.NotificationId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The server has the e-mail: a local file that could not be removed must never send it again.
            Log.OutboxWriteFailed(logger, notification.NotificationId, e.Message);
        }

        return null;
    }

    /// <summary>What a failed attempt can throw: the server's refusals, network and TLS failures, deadlines.</summary>
    private static bool IsDeliveryFailure(Exception e) => e is AlertDeliveryException
        or MailKit.CommandException or MailKit.ProtocolException or MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException
        or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or MailKit.Security.SaslException
        or System.Security.Authentication.AuthenticationException or System.Net.Sockets.SocketException or IOException
        or OperationCanceledException or TimeoutException or NotSupportedException or InvalidOperationException or MimeKit.ParseException;

    /// <summary>Our own words (they say it all), or the server's or library's with the underlying cause when it adds something.</summary>
    private static string Reason(Exception e)
    {
        var cause = e.GetBaseException().Message;
        return e is AlertDeliveryException || e.InnerException is null || e.Message.Contains(cause, StringComparison.Ordinal) ? e.Message : $"{e.Message} ({cause})";
    }
}
