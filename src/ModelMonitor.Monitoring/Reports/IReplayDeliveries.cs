namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// Receives, oldest first, the alert e-mails an audit replay finds (each written in its alert's
/// record) and the deliveries the server accepted, so a restart can send what was never delivered.
/// </summary>
public interface IReplayDeliveries
{
    /// <summary>An alert record's e-mail, as its JSON.</summary>
    void Notification(string notificationId, string notificationJson);

    /// <summary>An <c>alert_delivery</c> record: the server accepted this e-mail.</summary>
    void Delivered(string notificationId);
}
