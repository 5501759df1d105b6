using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// The monitor's writer gathers served predictions between drains, so that under load one wake-up
/// applies many requests' predictions; anything else it is asked must not wait for that pause.
/// </summary>
public sealed class MonitorInboxTests
{
    // Longer than any test may take: a pause that is not ended by the command under test fails it.
    private const int LongPauseMs = 600_000;

    private static MonitorInbox Inbox(int gatherMs) => new(Microsoft.Extensions.Options.Options.Create(new DriftOptions { GatherObservationsMs = gatherMs }));

    [Fact]
    public async Task A_command_other_than_an_observation_ends_the_writers_pause_at_once()
    {
        var inbox = Inbox(LongPauseMs);
        var pause = inbox.GatherAsync(CancellationToken.None);
        Assert.False(pause.IsCompleted);

        Assert.True(await inbox.PostAsync(new FeedbackStoredCommand(DateTimeOffset.UnixEpoch, 1, 1), CancellationToken.None));

        await pause.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_command_posted_before_the_pause_begins_means_no_pause()
    {
        var inbox = Inbox(LongPauseMs);
        var reply = new TaskCompletionSource<MonitorSnapshot>();
        Assert.True(await inbox.PostAsync(new ReadCommand(reply), CancellationToken.None));

        var pause = inbox.GatherAsync(CancellationToken.None);

        Assert.True(pause.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Observations_alone_leave_the_pause_to_run_its_course()
    {
        var inbox = Inbox(50);
        Assert.True(await inbox.PostAsync(new ObserveCommand(null, [], DateTimeOffset.UnixEpoch), CancellationToken.None));

        // Only the observation was posted: the pause is taken, and it ends by itself.
        var pause = inbox.GatherAsync(CancellationToken.None);
        Assert.False(pause.IsCompleted);
        await pause.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Stopping_ends_the_pause()
    {
        var inbox = Inbox(LongPauseMs);
        using var stopping = new CancellationTokenSource();
        var pause = inbox.GatherAsync(stopping.Token);
        Assert.False(pause.IsCompleted);

        await stopping.CancelAsync();

        await pause.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void With_no_gathering_configured_the_writer_never_pauses()
    {
        var pause = Inbox(0).GatherAsync(CancellationToken.None);

        Assert.True(pause.IsCompletedSuccessfully);
    }
}
