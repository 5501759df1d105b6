using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Monitoring;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>Scores the configured reference file when another replica did (<see cref="ReferenceRescoreRequests"/>). Does nothing with the file store.</summary>
internal sealed class ReferenceRescoreService(ReferenceRescoreRequests requests, DriftMonitor monitor, ILogger<ReferenceRescoreService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (path, createdAt) in requests.Reader.ReadAllAsync(stoppingToken))
            {
                ScaleOutLog.ReferenceRescoring(logger, path);
                try
                {
                    await monitor.BuildReferenceAsync(null, path, stoppingToken, replicatedAt: createdAt);
                }
                catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
                {
                    // Logged and shown in /drift by the monitor.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
