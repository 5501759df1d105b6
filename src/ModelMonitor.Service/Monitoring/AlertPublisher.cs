using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Publishes what an evaluation found, downstream only: the audit trail, the report, the counters
/// and the mailer. One audit append holds the evaluation and its alert records, and each alert
/// record holds its e-mail, so an alert, its audit record and its mail are committed together or
/// not at all. The mail reaches the outbox after that commit; if the service stops in between, the
/// restart finds the undelivered mail in the audit (<see cref="AlertMailer.Recover"/>).
/// </summary>
internal sealed class AlertPublisher(
    IOptions<AlertOptions> alertOptions,
    IOptions<DriftOptions> driftOptions,
    ModelHost host,
    AuditTrail audit,
    AlertMailer mailer,
    ServiceMetrics metrics,
    TimeProvider time,
    ILogger<AlertPublisher> logger)
{
    public async Task PublishAsync(DriftEvaluation evaluation, IReadOnlyList<AlertEvent> changes, ReportBuilder report)
    {
        var notifications = changes.Select(Compose).ToArray();
        var entries = new List<AuditEntry> { MonitoringAuditRecords.Evaluation(evaluation, EvaluationViewRecord.Writer(evaluation)) };
        entries.AddRange(changes.Select((change, i) => MonitoringAuditRecords.Alert(change, notifications[i] is { } mail ? json => JsonSerializer.Serialize(json, mail, OutboxJsonContext.Default.AlertNotification) : null)));
        await RecordAsync(entries);
        report.AddEvaluation(EvaluationSummary.From(evaluation));
        foreach (var change in changes)
        {
            report.AddAlert(change.Alert);
        }

        WriteReportFile(report);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var (kind, severity) = (change.Kind.ToString().ToLowerInvariant(), change.Alert.Severity.Name());
            Log.AlertChanged(logger, kind, change.Alert.Type, severity, change.Alert.Id, change.Alert.Summary);
            if (change.Kind != AlertEventKind.Resolved)
            {
                metrics.AlertsFired.WithLabels(severity, change.Alert.Type).Inc();
            }

            if (notifications[i] is { } notification)
            {
                await mailer.EnqueueAsync(notification, CancellationToken.None);
            }
        }
    }

    /// <summary>Audit records of the monitor's other changes (references, score references); a failure is logged, the monitor goes on.</summary>
    public async Task RecordAsync(IReadOnlyList<AuditEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await audit.AppendAsync(entries, CancellationToken.None);
        }
        catch (AuditWriteException e)
        {
            Log.MonitoringNotAudited(logger, e.Message);
        }
    }

    private AlertNotification? Compose(AlertEvent change) =>
        mailer.Enabled && change.Alert.Severity >= alertOptions.Value.MinimumEmailSeverity
            ? AlertEmail.Compose(change, alertOptions.Value.Smtp, $"{host.Classifier.Model.Name} {host.Classifier.Model.Version}", time.GetUtcNow(), alertOptions.Value.DashboardUrl)
            : null;

    /// <summary>Writes the report file (temporary file, then rename), so a reader never sees half of it.</summary>
    private void WriteReportFile(ReportBuilder report)
    {
        if (string.IsNullOrWhiteSpace(driftOptions.Value.ReportPath))
        {
            return;
        }

        var path = Path.GetFullPath(driftOptions.Value.ReportPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(report.Build(time.GetUtcNow()), MonitoringJsonContext.Default.MonitoringReport));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ReportNotWritten(logger, path, e.Message);
        }
    }
}
