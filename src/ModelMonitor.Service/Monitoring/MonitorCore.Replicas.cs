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
                            latestView = EvaluationViewRecord.Read(document.RootElement);
                        }
                    }

                    break;
                }

                case MonitoringAuditRecords.ReferenceKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    AdoptReplicatedReference(ReferenceRecords.Read(record.Timestamp, document.RootElement));
                    break;
                }

                case MonitoringAuditRecords.ScoreReferenceKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    var (sample, model) = MonitoringAuditRecords.ReadScoreReference(record.Timestamp, document.RootElement);
                    keeper.AdoptScores(sample, model, Window);
                    break;
                }

                case MonitoringAuditRecords.CalibrationKind:
                {
                    // The estimator fitted where a labelled reference was posted, for that reference.
                    if (Calibration.Read(record.Json) is { } read && read.ModelSha256 == host.Classifier.Model.Sha256
                        && keeper.Profile?.Source == read.Calibration.Source && read.Calibration.Source != options.BaselinePath)
                    {
                        referenceCalibration = read.Calibration;
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

    /// <summary>
    /// Another replica's reference becomes this one's when it is newer, for the same model and
    /// configured file: made again from the record's inputs, or, for the configured file, by
    /// scoring the file here (only when this replica is on another reference; at startup every
    /// replica scores the file itself).
    /// </summary>
    private void AdoptReplicatedReference(ReferenceRecord reference)
    {
        if (!options.Enabled || !keeper.Accepts(reference))
        {
            if (options.Enabled && (reference.ModelSha256 != host.Classifier.Model.Sha256 || reference.ConfiguredReference != keeper.ConfiguredReference))
            {
                ScaleOutLog.ReferenceIgnored(logger, reference.Source, "it was made for another model or another configured reference file");
            }

            return;
        }

        if (reference.Rebuildable)
        {
            try
            {
                keeper.Adopt(reference, Window, atStartup: false);
            }
            catch (Exception e) when (e is ModelMonitor.Statistics.StatisticsInputException or ArgumentException)
            {
                ScaleOutLog.ReferenceIgnored(logger, reference.Source, "it could not be made again: " + e.Message);
                return;
            }

            referenceCalibration = null; // until the calibration record that follows it, if it was labelled
            ScaleOutLog.ReferenceAdopted(logger, reference.Source, reference.Inputs!.Vectors.Count, reference.CreatedAt);
        }
        else if (reference.Source == keeper.ConfiguredReference && keeper.Profile is null)
        {
            keeper.RememberStampOfOthers(reference.CreatedAt, reference.Count); // scoring the same file now, at startup
        }
        else if (reference.Source == keeper.ConfiguredReference && keeper.Profile is { } current)
        {
            if (current.Source != reference.Source)
            {
                rescore.Request(reference.Source, reference.CreatedAt);
            }
            else if (current.Count == reference.Count)
            {
                keeper.Restamp(reference.CreatedAt); // the same file, scored later elsewhere
            }
        }
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
