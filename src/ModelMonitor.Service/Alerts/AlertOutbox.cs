using System.Text.Json;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// Unsent notifications on disk, one JSON file each (<c>pending/{id}.json</c>), written atomically
/// (temporary file, fsync, rename) so a crash leaves the old or the new version, never half of one.
/// Notifications that exhausted their attempts move to <c>failed/</c>. Owned by the mailer alone.
/// </summary>
internal sealed class AlertOutbox(string directory)
{
    private readonly string pending = Path.Combine(directory, "pending");
    private readonly string failed = Path.Combine(directory, "failed");

    public string Directory => directory;

    public IReadOnlyList<AlertNotification> LoadPending(Action<string, Exception> unreadable)
    {
        System.IO.Directory.CreateDirectory(pending);
        var loaded = new List<AlertNotification>();
        foreach (var file in System.IO.Directory.EnumerateFiles(pending, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var notification = JsonSerializer.Deserialize(File.ReadAllBytes(file), OutboxJsonContext.Default.AlertNotification);
                if (notification is not null)
                {
                    loaded.Add(notification);
                }
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                unreadable(file, e);
            }
        }

        return loaded;
    }

    public bool Contains(string notificationId) => File.Exists(PathOf(pending, notificationId));

    public bool HasFailed(string notificationId) => File.Exists(PathOf(failed, notificationId));

    public void Save(AlertNotification notification)
    {
        System.IO.Directory.CreateDirectory(pending);
        var target = PathOf(pending, notification.NotificationId);
        var temporary = target + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, notification, OutboxJsonContext.Default.AlertNotification);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>Removes a sent e-mail's file; one that was never saved here (a new leader took it from the database) is no error.</summary>
    public void Delete(string notificationId)
    {
        if (System.IO.Directory.Exists(pending))
        {
            File.Delete(PathOf(pending, notificationId));
        }
    }

    public void MoveToFailed(AlertNotification notification)
    {
        System.IO.Directory.CreateDirectory(failed);
        var from = PathOf(pending, notification.NotificationId);
        if (File.Exists(from))
        {
            File.Move(from, PathOf(failed, notification.NotificationId), overwrite: true);
        }
        else
        {
            // Never saved here (a new leader took it from the database): kept as it is now.
            File.WriteAllBytes(PathOf(failed, notification.NotificationId), JsonSerializer.SerializeToUtf8Bytes(notification, OutboxJsonContext.Default.AlertNotification));
        }
    }

    public int PendingCount => System.IO.Directory.Exists(pending) ? System.IO.Directory.EnumerateFiles(pending, "*.json").Count() : 0;

    public int FailedCount => System.IO.Directory.Exists(failed) ? System.IO.Directory.EnumerateFiles(failed, "*.json").Count() : 0;

    private static string PathOf(string folder, string notificationId) => Path.Combine(folder, notificationId + ".json");
}
