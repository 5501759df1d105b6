using ModelMonitor.Service.Alerts;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>
/// A new leader sends e-mail it took from the database, which its own outbox folder never held.
/// The bookkeeping after sending must not fail for that: a failure there once made the mailer send
/// the same e-mail again every backoff.
/// </summary>
public sealed class AlertOutboxTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mm-outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static AlertNotification Notification(string id) =>
        new(id, "alert-1", "high", "subject", "body", ["ml-team@example.com"], DateTimeOffset.UnixEpoch, 3, DateTimeOffset.UnixEpoch, "refused");

    [Fact]
    public void Deleting_an_email_this_outbox_never_held_is_no_error_even_without_its_folder()
    {
        var outbox = new AlertOutbox(directory);
        Assert.False(Directory.Exists(directory));

        outbox.Delete("never-saved");

        Assert.Equal(0, outbox.PendingCount);
    }

    [Fact]
    public void Giving_up_an_email_this_outbox_never_held_keeps_it_in_failed()
    {
        var outbox = new AlertOutbox(directory);

        outbox.MoveToFailed(Notification("taken-over"));

        Assert.True(outbox.HasFailed("taken-over"));
        Assert.Equal(1, outbox.FailedCount);
        Assert.Contains("refused", File.ReadAllText(Path.Combine(directory, "failed", "taken-over.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Giving_up_a_saved_email_moves_it_from_pending_to_failed()
    {
        var outbox = new AlertOutbox(directory);
        outbox.Save(Notification("saved"));

        outbox.MoveToFailed(Notification("saved"));

        Assert.False(outbox.Contains("saved"));
        Assert.True(outbox.HasFailed("saved"));
    }
}
