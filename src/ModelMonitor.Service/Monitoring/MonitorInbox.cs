using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The monitor's queue: every change to its state arrives here and is applied, in order, by the one
/// writer (<see cref="MonitorLoopService"/> into <see cref="MonitorCore"/>). Bounded: when full,
/// writers wait (nothing is dropped). Also carries the "an evaluation is due" signal to the scheduler.
/// </summary>
internal sealed class MonitorInbox(IOptions<DriftOptions> options)
{
    private readonly Channel<MonitorCommand> commands = Channel.CreateBounded<MonitorCommand>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Channel<bool> due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<MonitorCommand> Commands => commands.Reader;

    public ChannelReader<bool> Due => due.Reader;

    /// <summary>Queues a command; false once the monitor has stopped (the service is shutting down).</summary>
    public async ValueTask<bool> PostAsync(MonitorCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await commands.Writer.WriteAsync(command, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    public void SignalDue() => due.Writer.TryWrite(true);

    public void Complete() => commands.Writer.TryComplete();
}
