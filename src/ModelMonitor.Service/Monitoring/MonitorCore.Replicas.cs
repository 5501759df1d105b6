using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Monitoring;

/// <summary>The monitor among replicas sharing a PostgreSQL store: other replicas' records, and the leader's sequence claims.</summary>
internal sealed partial class MonitorCore
{
    /// <summary>
    /// Applies records other replicas committed, as a restore would: their predictions join the
    /// window and the report, their feedback joins its prediction, and the leader's evaluations
    /// and alerts become this replica's latest evaluation and alert states (so a follower answers
    /// /drift and /alerts as the leader does, and a new leader continues the sequence).
    /// </summary>
    private void ApplyReplicated(IReadOnlyList<AuditRecordView> records)
    {
        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case MonitoringAuditRecords.PredictionKind:
                {
                    Report.AddPredictions(record.Timestamp, 1);
                    if (options.Enabled)
                    {
                        using var document = JsonDocument.Parse(record.Json);
                        if (MonitoringAuditRecords.ReadFeatures(document.RootElement) is { } features)
                        {
                            Window.Add([record.Id], [features], record.Timestamp);
                        }
                    }

                    break;
                }

                case MonitoringAuditRecords.FeedbackKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    var root = document.RootElement;
                    var joined = root.TryGetProperty("joined", out var j) && j.ValueKind == JsonValueKind.True;
                    Report.AddFeedback(record.Timestamp, 1, joined ? 1 : 0);
                    if (root.TryGetProperty("prediction_id", out var id) && root.TryGetProperty("label_index", out var label))
                    {
                        Join(id.GetString()!, label.GetInt32());
                    }

                    break;
                }

                case MonitoringAuditRecords.EvaluationKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("summary", out var summary)
                        && summary.Deserialize(MonitoringJsonContext.Default.EvaluationSummary) is { } parsed)
                    {
                        Report.AddEvaluation(parsed);
                        if (parsed.Sequence > sequence)
                        {
                            sequence = parsed.Sequence;
                            latest = RestoredEvaluation(parsed);
                        }
                    }

                    break;
                }

                case MonitoringAuditRecords.AlertKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("alert", out var alert)
                        && alert.Deserialize(MonitoringJsonContext.Default.AlertRecord) is { } parsed)
                    {
                        Report.AddAlert(parsed);
                        tracker.Restore(parsed);
                    }

                    break;
                }
            }
        }

        Publish();
    }

    /// <summary>The sequence number of the evaluation about to run, or null when this replica may not run one now.</summary>
    private async Task<long?> ClaimSequenceAsync()
    {
        try
        {
            var claimed = await role.ClaimSequenceAsync(sequence + 1, CancellationToken.None);
            if (claimed is null)
            {
                ScaleOutLog.SequenceNotClaimed(logger, sequence + 1, "this replica no longer leads, or another claimed the number");
            }

            return claimed;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException or IOException or InvalidOperationException || StoreFailures.IsDatabase(e))
        {
            ScaleOutLog.SequenceNotClaimed(logger, sequence + 1, e.Message);
            return null;
        }
    }
}
