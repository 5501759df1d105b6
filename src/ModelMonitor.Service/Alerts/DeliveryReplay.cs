using System.Text.Json;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Service.Alerts;

/// <summary>Collects, from an audit replay, the alert e-mails committed with their alerts and those the server accepted.</summary>
internal sealed class DeliveryReplay : IReplayDeliveries
{
    private readonly Dictionary<string, string> committed = new(StringComparer.Ordinal);
    private readonly HashSet<string> delivered = new(StringComparer.Ordinal);

    public void Notification(string notificationId, string notificationJson) => committed[notificationId] = notificationJson;

    public void Delivered(string notificationId) => delivered.Add(notificationId);

    /// <summary>Deliveries the audit records.</summary>
    public long DeliveredCount => delivered.Count;

    /// <summary>Committed e-mails with no delivery record, oldest first.</summary>
    public IReadOnlyList<AlertNotification> Undelivered() =>
        [.. committed.Where(c => !delivered.Contains(c.Key)).Select(c => JsonSerializer.Deserialize(c.Value, OutboxJsonContext.Default.AlertNotification)).OfType<AlertNotification>()];
}
