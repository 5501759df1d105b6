using Microsoft.Extensions.Options;
using ModelMonitor.Audit.Postgres;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Elects the monitor's leader among replicas sharing a PostgreSQL store: every poll interval
/// (a third of ScaleOut:LeaderTakeoverSeconds) a follower tries the leader lock and the leader
/// checks it still holds it. A leader whose session fails stops leading at once; one that dies
/// loses its session, and with it the lock, so a follower leads within the bound. A new leader
/// asks for an evaluation straight away. Does nothing with the file store.
/// </summary>
internal sealed class LeaderElectionService(
    MonitorRole role,
    IServiceProvider services,
    IOptions<ScaleOutOptions> options,
    MonitorInbox inbox,
    TimeProvider time,
    ILogger<LeaderElectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!role.Shared)
        {
            return;
        }

        await using var session = new LeaderSession(services.GetRequiredService<AuditDatabase>(), role.WriterId);
        var poll = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (role.IsLeader)
                {
                    if (!await session.CheckAsync(stoppingToken))
                    {
                        Lose("the leader lock is no longer held");
                    }
                }
                else if (await session.TryAcquireAsync(stoppingToken))
                {
                    role.Become(session);
                    ScaleOutLog.BecameLeader(logger, role.WriterId);
                    inbox.SignalDue();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException || StoreFailures.IsNpgsql(e))
            {
                Lose(e.Message);
                ScaleOutLog.ElectionFailed(logger, e.Message);
            }

            try
            {
                await Task.Delay(poll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        role.Lose();
    }

    private void Lose(string reason)
    {
        if (role.IsLeader)
        {
            role.Lose();
            ScaleOutLog.LostLeadership(logger, role.WriterId, reason);
        }
    }
}
