using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Runs the monitor's single writer: restores its state from the audit before the server takes
/// requests, then applies the queued commands one at a time, pausing between drains to gather
/// served predictions (<see cref="MonitorInbox.GatherAsync"/>). A command that fails is logged and
/// fails only its sender; the loop goes on.
/// </summary>
internal sealed class MonitorLoopService(MonitorCore core, MonitorInbox inbox, ILogger<MonitorLoopService> logger) : BackgroundService
{
    /// <summary>Hosted services start before the server listens, so restored totals and live ones never overlap.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        core.Restore();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await inbox.Commands.WaitToReadAsync(stoppingToken))
            {
                while (inbox.Commands.TryRead(out var command))
                {
                    try
                    {
                        await core.HandleAsync(command);
                    }
                    catch (Exception e)
                    {
                        Log.MonitorCommandFailed(logger, e, command.GetType().Name, e.Message);
                        command.Fail(e);
                    }
                }

                await inbox.GatherAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: nothing more is taken. Whoever waits for an answer gets "stopping"; predictions
        // and feedback still queued are in the audit trail, and the next start replays them.
        inbox.Complete();
        while (inbox.Commands.TryRead(out var left))
        {
            left.Fail(new ServiceStoppingException());
        }
    }
}
