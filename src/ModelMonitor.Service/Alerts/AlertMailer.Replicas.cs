using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// The mailer among replicas sharing a PostgreSQL store. The outbox that counts is the database:
/// every alert record holds its e-mail, and an <c>alert_delivery</c> record marks it sent. Only the
/// leader sends. Each time this replica starts leading it forgets what it queued before and takes
/// the e-mails the database holds undelivered, whichever replica committed them; when it stops
/// leading it stops sending. So an alert's e-mail is sent by one replica, once, unless a leader
/// dies between the server's acceptance and its delivery record (then the next leader sends it
/// again, with the same Message-ID).
/// </summary>
internal sealed partial class AlertMailer
{
    private async Task DeliverWhileLeadingAsync(SmtpSender smtp, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken tenure;
            try
            {
                tenure = await role.WaitForTenureAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, tenure);
            try
            {
                await DeliverAsync(smtp, TakeOverUndelivered(), leading.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // No longer leading: the next leader takes the undelivered e-mail from the database.
            }
        }
    }

    /// <summary>
    /// What /alerts shows of the outbox. With the shared store, the database's counts, the same on
    /// every replica: e-mails delivered (an <c>alert_delivery</c> record), and e-mails the database
    /// holds with none (queued, retrying, or given up); <c>failed</c> stays this replica's own count
    /// of e-mails it gave up on. With the file store, this mailer's counts.
    /// </summary>
    public (long Sent, int Pending, int Failed) Counts()
    {
        if (!role.Shared || audit.Source is not { } source)
        {
            return (Sent, Pending, Failed);
        }

        var deliveries = new DeliveryReplay();
        try
        {
            MonitoringAuditRecords.Replay(new AlertRecordsOnly(source), new ReportBuilder(), null, deliveries);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException or System.Text.Json.JsonException || StoreFailures.IsDatabase(e))
        {
            return (Sent, Pending, Failed); // the database is away (or a record is damaged): what this replica knows
        }

        return (deliveries.DeliveredCount, deliveries.Undelivered().Count, Failed);
    }

    /// <summary>The e-mails the database holds with no delivery record, minus those this replica gave up on.</summary>
    private List<AlertNotification> TakeOverUndelivered()
    {
        while (incoming.Reader.TryRead(out _))
        {
            // Queued before this tenure (a restore, an earlier tenure): the database says what is still due.
        }

        if (audit.Source is not { } source)
        {
            return [];
        }

        var deliveries = new DeliveryReplay();
        try
        {
            MonitoringAuditRecords.Replay(new AlertRecordsOnly(source), new ReportBuilder(), null, deliveries);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException || StoreFailures.IsDatabase(e))
        {
            Log.MonitoringNotAudited(logger, "the undelivered alert e-mail could not be read from the database: " + e.Message);
            return [];
        }

        var undelivered = deliveries.Undelivered().Where(n => !outbox.HasFailed(n.NotificationId)).ToList();
        if (undelivered.Count > 0)
        {
            ScaleOutLog.UndeliveredTakenOver(logger, undelivered.Count);
        }

        return undelivered;
    }

    /// <summary>The store's alert and delivery records only: all a mailer's replay needs.</summary>
    private sealed class AlertRecordsOnly(IAuditSource source) : IAuditSource
    {
        private static readonly string[] Kinds = [MonitoringAuditRecords.AlertKind, MonitoringAuditRecords.DeliveryKind];

        public string Description => source.Description;

        public bool Exists => source.Exists;

        public AuditPage Query(AuditQuery query) => source.Query(query);

        public AuditRecordView? Find(string id) => source.Find(id);

        public bool Contains(string id, string kind) => source.Contains(id, kind);

        public IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null) =>
            source.Export(since, until, Kinds);

        public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
            source.ExportLines(since, until, kinds);

        public VerificationResult Verify() => source.Verify();
    }
}
