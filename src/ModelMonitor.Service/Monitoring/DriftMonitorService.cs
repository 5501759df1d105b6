using Microsoft.Extensions.Options;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The monitor's schedule: once the model is ready, scores the baseline set and the reference file,
/// compacts the heap once (<see cref="StartupHeapCompaction"/>), then asks for an evaluation on an interval and whenever enough new predictions arrived.
/// </summary>
internal sealed class DriftMonitorService(DriftMonitor monitor, ModelHost host, IOptions<DriftOptions> options, TimeProvider time, ILogger<DriftMonitorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!host.IsReady)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, stoppingToken);
        }

        var settings = options.Value;
        if (monitor.Enabled)
        {
            await ScoreStartupReferencesAsync(settings, stoppingToken);
        }

        StartupHeapCompaction.Run(logger);
        if (!monitor.Enabled)
        {
            return;
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

    private async Task ScoreStartupReferencesAsync(DriftOptions settings, CancellationToken stoppingToken)
    {
        // An admin's reference (or a live one) from before the restart is current again; else the file is scored.
        var restored = await monitor.AdoptRestoredReferenceAsync(stoppingToken);
        await monitor.LoadBaselineSetAsync(stoppingToken);
        if (!restored && !string.IsNullOrWhiteSpace(settings.ReferencePath))
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
    }
}
