using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The monitor's queue: every change to its state arrives here and is applied, in order, by the one
/// writer (<see cref="MonitorLoopService"/> into <see cref="MonitorCore"/>). Bounded: when full,
/// writers wait (nothing is dropped). Also carries the "an evaluation is due" signal to the scheduler.
/// </summary>
/// <remarks>
/// Served predictions are gathered: after applying what was queued, the writer waits up to
/// <see cref="DriftOptions.GatherObservationsMs"/> before it looks again, so that under load the
/// predictions of many requests are applied in one wake-up instead of one thread hand-off per
/// request. Any other command (a question, feedback, an admin change) ends that wait at once.
/// </remarks>
internal sealed class MonitorInbox(IOptions<DriftOptions> options)
{
    private readonly Channel<MonitorCommand> commands = Channel.CreateBounded<MonitorCommand>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Channel<bool> due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly TimeSpan gather = TimeSpan.FromMilliseconds(options.Value.GatherObservationsMs);

    // Set while the writer gathers; whoever posts a command that must not wait completes it.
    private TaskCompletionSource? gathering;

    // 1 once a command that must not wait was posted since the writer last looked.
    private int urgent;

    public ChannelReader<MonitorCommand> Commands => commands.Reader;

    public ChannelReader<bool> Due => due.Reader;

    /// <summary>Queues a command; false once the monitor has stopped (the service is shutting down).</summary>
    public async ValueTask<bool> PostAsync(MonitorCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await commands.Writer.WriteAsync(command, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return false;
        }

        if (command is not ObserveCommand)
        {
            Interlocked.Exchange(ref urgent, 1);
            Interlocked.Exchange(ref gathering, null)?.TrySetResult();
        }

        return true;
    }

    /// <summary>
    /// The writer's pause between two drains: up to <see cref="DriftOptions.GatherObservationsMs"/>,
    /// ended at once by a command that must not wait, or by <paramref name="stoppingToken"/>.
    /// </summary>
    public async Task GatherAsync(CancellationToken stoppingToken)
    {
        if (gather <= TimeSpan.Zero)
        {
            return;
        }

        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref gathering, wake);
        if (Interlocked.Exchange(ref urgent, 0) == 1)
        {
            // Posted since the writer last looked (perhaps already applied): no pause this time.
            Interlocked.CompareExchange(ref gathering, null, wake);
            return;
        }

        // The system clock on purpose: this pause batches CPU wake-ups and measures nothing the
        // monitor reports; under a test's fake clock it would never end.
        await Task.WhenAny(wake.Task, Task.Delay(gather, TimeProvider.System, stoppingToken));
        Interlocked.CompareExchange(ref gathering, null, wake);
    }

    public void SignalDue() => due.Writer.TryWrite(true);

    public void Complete() => commands.Writer.TryComplete();
}
