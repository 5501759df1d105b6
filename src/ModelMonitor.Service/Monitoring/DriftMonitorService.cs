using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Runs the drift monitor in the background: restores the report and firing alerts from the
/// audit, scores the reference file once the model is ready, then evaluates on an interval and
/// whenever enough new predictions arrived.
/// </summary>
internal sealed class DriftMonitorService(DriftMonitor monitor, ModelHost host, IOptions<DriftOptions> options, TimeProvider time, ILogger<DriftMonitorService> logger) : BackgroundService
{
    /// <summary>
    /// Replays the audit before the server accepts requests (hosted services start first), so
    /// restored totals and live ones never overlap.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        monitor.RestoreFromAudit();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!monitor.Enabled)
        {
            return;
        }

        while (!host.IsReady)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, stoppingToken);
        }

        var settings = options.Value;
        await monitor.LoadBaselineSetAsync(stoppingToken);
        if (!string.IsNullOrWhiteSpace(settings.ReferencePath))
        {
            try
            {
                await monitor.BuildReferenceAsync(null, settings.ReferencePath, stoppingToken, atStartup: true);
            }
            catch (Exception e) when (e is ReferenceFormatException or ModelMonitor.Statistics.StatisticsInputException or IOException)
            {
                // Logged and shown in /drift; the service keeps serving, and POST /reference can retry.
            }
        }

        var interval = TimeSpan.FromSeconds(settings.EvaluationIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await monitor.WaitForDueAsync(interval, stoppingToken);
            try
            {
                await monitor.EvaluateAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.EvaluationFailed(logger, e, e.Message);
            }
        }
    }
}
