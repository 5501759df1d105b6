using Microsoft.Extensions.Options;
using ModelMonitor.Audit.Postgres;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Keeps this replica's monitor in step with the others: every ScaleOut:TailIntervalMs it reads the
/// records other writers committed since the last read (predictions, feedback, evaluations, alerts)
/// and hands them to the monitor's single writer. So every replica's window holds every replica's
/// predictions (a new leader continues with a full window), feedback joins wherever the prediction
/// was made, followers show the leader's latest evaluation and alerts, and a reference made on any
/// replica (posted, re-baselined, collected, or the file scored again) becomes every replica's.
/// Does nothing with the file store.
/// </summary>
internal sealed class ReplicaTailService(
    MonitorRole role,
    ReplicaFeed feed,
    AuditTrail audit,
    MonitorInbox inbox,
    IOptions<ScaleOutOptions> options,
    TimeProvider time,
    ILogger<ReplicaTailService> logger) : BackgroundService
{
    private static readonly string[] Kinds =
    [
        MonitoringAuditRecords.PredictionKind, MonitoringAuditRecords.FeedbackKind, MonitoringAuditRecords.EvaluationKind, MonitoringAuditRecords.AlertKind,
        MonitoringAuditRecords.ReferenceKind, MonitoringAuditRecords.ScoreReferenceKind, MonitoringAuditRecords.CalibrationKind,
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!role.Shared || audit.Source is not PostgresAuditSource source)
        {
            return;
        }

        var restored = await feed.Start.WaitAsync(stoppingToken);
        var position = restored ?? TailPosition.Start;
        var interval = TimeSpan.FromMilliseconds(options.Value.TailIntervalMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                if (restored is null)
                {
                    position = source.LastPosition();
                    restored = position;
                }

                var batch = source.TailAfter(position, Kinds, options.Value.TailBatchRecords, exceptWriter: role.WriterId);
                if (batch.Count > 0)
                {
                    if (!await inbox.PostAsync(new ReplicatedCommand([.. batch.Select(r => r.View)]), stoppingToken))
                    {
                        return; // the monitor stopped
                    }

                    position = batch[^1].Position;
                    full = batch.Count >= options.Value.TailBatchRecords;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException || StoreFailures.IsNpgsql(e))
            {
                ScaleOutLog.TailFailed(logger, e.Message);
            }

            if (!full)
            {
                try
                {
                    await Task.Delay(interval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
