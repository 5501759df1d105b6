using System.Globalization;
using System.Text;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Alerts;

/// <summary>Writes an alert event as an e-mail: the severity and state in the subject; the evidence, thresholds and recommended action in the body.</summary>
internal static class AlertEmail
{
    public static AlertNotification Compose(AlertEvent change, SmtpOptions smtp, string model, DateTimeOffset now, string? dashboardUrl = null)
    {
        var alert = change.Alert;
        var verb = change.Kind switch
        {
            AlertEventKind.Fired => "FIRING",
            AlertEventKind.Escalated => "ESCALATED",
            _ => "RESOLVED",
        };
        var subject = $"[ModelMonitor] [{alert.Severity.Name().ToUpperInvariant()}] {verb}: {(alert.Estimated ? "estimated " : "")}{alert.Type} on {model}";
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{verb}: {alert.Summary}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Alert:      {alert.Id}")
            .AppendLine(CultureInfo.InvariantCulture, $"Type:       {alert.Type}")
            .AppendLine(CultureInfo.InvariantCulture, $"Severity:   {alert.Severity.Name()}")
            .AppendLine(CultureInfo.InvariantCulture, $"State:      {alert.State.ToString().ToLowerInvariant()}")
            .AppendLine(CultureInfo.InvariantCulture, $"Model:      {model}")
            .AppendLine(CultureInfo.InvariantCulture, $"Fired at:   {alert.FiredAt:O}")
            .AppendLine(CultureInfo.InvariantCulture, $"Resolved:   {(alert.ResolvedAt is { } resolved ? resolved.ToString("O", CultureInfo.InvariantCulture) : "-")}")
            .AppendLine(CultureInfo.InvariantCulture, $"Evaluation: {alert.Evaluation}")
            .AppendLine(CultureInfo.InvariantCulture, $"Diagnosis:  {alert.Diagnosis}")
            .AppendLine()
            .Append(alert.Estimated ? "THIS IS AN ESTIMATE, not a measurement: accuracy and F1 were estimated from the model's calibrated confidence before any labels arrived (CBPE). The evidence below says what it rests on; labels for these predictions (POST /feedback) replace it.\r\n\r\n" : "")
            .Append(alert.Note is { } note ? $"Note: {note}\r\n\r\n" : "")
            .AppendLine("Evidence (statistic, p-value after correction, effect sizes against their thresholds):");
        foreach (var line in alert.Evidence)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"  - {line}");
        }

        body.AppendLine()
            .AppendLine("Recommended action:")
            .AppendLine(CultureInfo.InvariantCulture, $"  {(change.Kind == AlertEventKind.Resolved ? "None: the latest evaluation is clean." : alert.Action)}");
        if (!string.IsNullOrWhiteSpace(dashboardUrl))
        {
            body.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Dashboard: {dashboardUrl}");
        }

        var recipients = smtp.To
            .Concat(smtp.Recipients.TryGetValue(alert.Severity.Name(), out var extra) ? extra : [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        // SMTP lines end in CRLF; a bare LF would be encoded as =0A and show as one long line.
        return new AlertNotification(change.NotificationId, alert.Id, alert.Severity.Name(), subject, body.ToString().ReplaceLineEndings("\r\n"), recipients, now, 0, now, null);
    }
}
