using MimeKit;

namespace ModelMonitor.Service.Alerts;

/// <summary>An outbox notification as a MIME message: plain text, with stable identifying headers.</summary>
internal static class AlertMimeMessage
{
    public static MimeMessage Create(AlertNotification notification, string from)
    {
        var message = new MimeMessage
        {
            Subject = notification.Subject,
            Date = notification.CreatedAt,
            // Stable per notification: a receiver (or a test) can tell a retry from a new alert.
            MessageId = $"{notification.NotificationId}@modelmonitor",
            Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = notification.Body },
        };
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in notification.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Headers.Add("X-ModelMonitor-Notification", notification.NotificationId);
        message.Headers.Add("X-ModelMonitor-Severity", notification.Severity);
        return message;
    }
}
