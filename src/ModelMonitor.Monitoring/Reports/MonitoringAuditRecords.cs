using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// The audit records the monitor writes (feedback, drift evaluations, alerts, deliveries) and the
/// replay that rebuilds a report, and the firing alerts, from an audit store.
/// </summary>
public static class MonitoringAuditRecords
{
    public const string FeedbackKind = "feedback";
    public const string EvaluationKind = "drift_evaluation";
    public const string AlertKind = "alert";
    public const string DeliveryKind = "alert_delivery";
    public const string PredictionKind = "prediction";
    public const string ScoreReferenceKind = "score_reference";
    public const string CalibrationKind = "calibration";
    public const string ReferenceKind = "reference";

    /// <summary>A live score reference, frozen: kept in the audit so a restart judges against the same one.</summary>
    public static AuditEntry ScoreReference(ScoreSample sample, string modelSha256)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new AuditEntry(ScoreReferenceKind, sample.FrozenAt, null, json =>
        {
            json.WriteString("reference_source", sample.ReferenceSource);
            json.WriteString("model_sha256", modelSha256);
            json.WriteNumber("count", sample.Count);
            if (sample.LastPredictionId is not null)
            {
                json.WriteString("last_prediction_id", sample.LastPredictionId);
            }

            foreach (var feature in FeatureNames.Scores)
            {
                json.WriteStartArray(feature);
                foreach (var value in sample.Values(feature))
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
            }
        });
    }

    /// <summary>Reads a <see cref="ScoreReference"/> record: the sample and the model it was scored by.</summary>
    public static (ScoreSample Sample, string ModelSha256) ReadScoreReference(DateTimeOffset at, JsonElement record)
    {
        double[] Read(string feature) => [.. record.GetProperty(feature).EnumerateArray().Select(v => v.GetDouble())];

        var sample = new ScoreSample(at, record.GetProperty("reference_source").GetString()!, Read(FeatureNames.Confidence), Read(FeatureNames.Margin), Read(FeatureNames.Entropy))
        {
            LastPredictionId = record.TryGetProperty("last_prediction_id", out var last) ? last.GetString() : null,
        };
        return (sample, record.GetProperty("model_sha256").GetString()!);
    }

    public static AuditEntry Feedback(DateTimeOffset at, string? requestId, string predictionId, string label, int labelIndex, bool joined) =>
        new(FeedbackKind, at, requestId, json =>
        {
            json.WriteString("prediction_id", predictionId);
            json.WriteString("label", label);
            json.WriteNumber("label_index", labelIndex);
            json.WriteBoolean("joined", joined);
        });

    /// <summary>Writes a prediction's monitored features into its audit record, so a restarted monitor can rebuild its window.</summary>
    public static void WriteFeatures(Utf8JsonWriter json, TextFeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WritePropertyName("features");
        WriteFeatureObject(json, features);
    }

    /// <summary>One prediction's monitored features as a JSON object (in a prediction record, or a reference record's inputs).</summary>
    public static void WriteFeatureObject(Utf8JsonWriter json, TextFeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber(FeatureNames.CharLength, features.CharLength);
        json.WriteNumber(FeatureNames.TokenCount, features.TokenCount);
        json.WriteNumber(FeatureNames.UnknownTokenShare, features.UnknownTokenShare);
        json.WriteNumber(FeatureNames.NonLetterShare, features.NonLetterShare);
        json.WriteBoolean(FeatureNames.Truncated, features.Truncated);
        json.WriteNumber(FeatureNames.UpperCaseShare, features.UpperCaseShare);
        json.WriteNumber(FeatureNames.PiecesPerWord, features.PiecesPerWord);
        json.WriteNumber(FeatureNames.SplitWordShare, features.SplitWordShare);
        json.WriteNumber(FeatureNames.PredictedLabel, features.PredictedLabel);
        json.WriteNumber(FeatureNames.Confidence, features.Confidence);
        json.WriteNumber(FeatureNames.Margin, features.Margin);
        json.WriteNumber(FeatureNames.Entropy, features.Entropy);
        json.WriteEndObject();
    }

    /// <summary>Reads the features <see cref="WriteFeatures"/> wrote, or null when the record has none (written before they were recorded).</summary>
    public static TextFeatureVector? ReadFeatures(JsonElement record)
    {
        return record.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Object ? ReadFeatureObject(f) : null;
    }

    /// <summary>Reads an object <see cref="WriteFeatureObject"/> wrote.</summary>
    public static TextFeatureVector ReadFeatureObject(JsonElement f)
    {
        return new TextFeatureVector(
            f.GetProperty(FeatureNames.CharLength).GetDouble(),
            f.GetProperty(FeatureNames.TokenCount).GetDouble(),
            f.GetProperty(FeatureNames.UnknownTokenShare).GetDouble(),
            f.GetProperty(FeatureNames.NonLetterShare).GetDouble(),
            f.GetProperty(FeatureNames.Truncated).GetBoolean(),
            f.GetProperty(FeatureNames.PredictedLabel).GetInt32(),
            f.GetProperty(FeatureNames.Confidence).GetDouble(),
            f.GetProperty(FeatureNames.Margin).GetDouble(),
            f.GetProperty(FeatureNames.Entropy).GetDouble())
        {
            // Absent from records written before these features existed.
            UpperCaseShare = f.TryGetProperty(FeatureNames.UpperCaseShare, out var upper) ? upper.GetDouble() : 0,
            PiecesPerWord = f.TryGetProperty(FeatureNames.PiecesPerWord, out var pieces) ? pieces.GetDouble() : 0,
            SplitWordShare = f.TryGetProperty(FeatureNames.SplitWordShare, out var split) ? split.GetDouble() : 0,
        };
    }

    /// <summary>
    /// A drift evaluation. With <paramref name="view"/>, the evaluation as the API shows it is written
    /// inside the record (<c>"view": {...}</c>), so a restarted replica, or another replica, can show it whole.
    /// </summary>
    public static AuditEntry Evaluation(DriftEvaluation evaluation, Action<Utf8JsonWriter>? view = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var summary = EvaluationSummary.From(evaluation);
        return new AuditEntry(EvaluationKind, evaluation.EvaluatedAt, null, json =>
        {
            json.WritePropertyName("summary");
            JsonSerializer.Serialize(json, summary, MonitoringJsonContext.Default.EvaluationSummary);
            if (evaluation.SkippedReason is not null)
            {
                json.WriteString("skipped_reason", evaluation.SkippedReason);
            }

            EvaluationRecordDetail.WriteWindow(json, evaluation);
            json.WriteStartArray("features");
            foreach (var feature in evaluation.Features)
            {
                json.WriteStartObject();
                WriteFeature(json, feature);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (evaluation.LabelMix is { } mix)
            {
                json.WriteStartObject("label_mix");
                WriteFeature(json, mix);
                json.WriteEndObject();
            }

            EvaluationRecordDetail.WritePerformance(json, evaluation);
            if (evaluation.PendingReason is not null)
            {
                json.WriteStartArray("pending_features");
                foreach (var feature in evaluation.PendingFeatures)
                {
                    json.WriteStringValue(feature);
                }

                json.WriteEndArray();
                json.WriteString("pending_reason", evaluation.PendingReason);
            }

            json.WriteStartArray("breaches");
            foreach (var breach in evaluation.Breaches)
            {
                json.WriteStartObject();
                json.WriteString("type", breach.Type);
                json.WriteString("severity", breach.Severity.Name());
                json.WriteString("summary", breach.Summary);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (view is not null)
            {
                json.WritePropertyName("view");
                view(json);
            }
        });
    }

    /// <summary>
    /// An alert event. With <paramref name="notification"/>, the e-mail it sends is written inside the
    /// same record (<c>"notification": {...}</c>), so the alert and its mail are committed together:
    /// a restart finds every mail that was never delivered (<see cref="IReplayDeliveries"/>).
    /// </summary>
    public static AuditEntry Alert(AlertEvent change, Action<Utf8JsonWriter>? notification = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new AuditEntry(AlertKind, change.At, null, json =>
        {
            json.WriteString("event", change.Kind.ToString().ToLowerInvariant());
            json.WriteString("notification_id", change.NotificationId);
            json.WritePropertyName("alert");
            JsonSerializer.Serialize(json, change.Alert, MonitoringJsonContext.Default.AlertRecord);
            if (notification is not null)
            {
                json.WritePropertyName("notification");
                notification(json);
            }
        });
    }

    public static AuditEntry Delivery(DateTimeOffset at, string notificationId, string alertId, IReadOnlyList<string> recipients, int attempts) =>
        new(DeliveryKind, at, null, json =>
        {
            json.WriteString("notification_id", notificationId);
            json.WriteString("alert_id", alertId);
            json.WriteStartArray("recipients");
            foreach (var recipient in recipients)
            {
                json.WriteStringValue(recipient);
            }

            json.WriteEndArray();
            json.WriteNumber("attempts", attempts);
        });

    /// <summary>
    /// Feeds every monitoring-relevant record of an audit store, oldest first, into a report
    /// builder; returns the alerts still firing. With a <paramref name="window"/>, also hands it
    /// each prediction that carries its features, each feedback label and each live score
    /// reference, so a restarted monitor can rebuild its window and keep its score reference.
    /// </summary>
    /// <summary>How many latest predictions' labels a replay keeps to score joined feedback (far more than any window).</summary>
    private const int ReplayedPredictionLabels = 100_000;

    public static IReadOnlyList<AlertRecord> Replay(string directory, ReportBuilder builder, IReplayWindow? window = null, IReplayDeliveries? deliveries = null) =>
        Replay(new FileAuditSource(directory), builder, window, deliveries);

    public static IReadOnlyList<AlertRecord> Replay(IAuditSource source, ReportBuilder builder, IReplayWindow? window = null, IReplayDeliveries? deliveries = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(builder);
        var latest = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);

        // The predicted label of recent predictions, so a joined feedback label counts in the
        // report's period accuracy as it did live (a label joins only while its prediction is in
        // the window, so the most recent predictions are enough).
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new Queue<string>();
        foreach (var record in source.Export(null, null))
        {
            switch (record.Kind)
            {
                case PredictionKind:
                {
                    builder.AddPredictions(record.Timestamp, 1);
                    window?.Prediction(record.Id, record.Timestamp, record.Json);
                    if (record.Json.Contains("\"features\"", StringComparison.Ordinal))
                    {
                        using var document = JsonDocument.Parse(record.Json);
                        if (ReadFeatures(document.RootElement) is { } features && predicted.TryAdd(record.Id, features.PredictedLabel))
                        {
                            order.Enqueue(record.Id);
                            if (order.Count > ReplayedPredictionLabels)
                            {
                                predicted.Remove(order.Dequeue());
                            }
                        }
                    }

                    break;
                }

                case ScoreReferenceKind:
                {
                    window?.ScoreReference(record.Timestamp, record.Json);
                    break;
                }

                case CalibrationKind:
                {
                    window?.Calibration(record.Json);
                    break;
                }

                case ReferenceKind:
                {
                    window?.Reference(record.Timestamp, record.Json);
                    break;
                }

                case FeedbackKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    var root = document.RootElement;
                    var joined = root.TryGetProperty("joined", out var j) && j.ValueKind == JsonValueKind.True;
                    builder.AddFeedback(record.Timestamp, 1, joined ? 1 : 0);
                    if (joined && root.TryGetProperty("prediction_id", out var labelledId) && root.TryGetProperty("label_index", out var labelIndex)
                        && predicted.TryGetValue(labelledId.GetString()!, out var predictedLabel))
                    {
                        builder.AddLabel(labelledId.GetString()!, predictedLabel == labelIndex.GetInt32());
                    }

                    if (window is not null && root.TryGetProperty("prediction_id", out var id) && root.TryGetProperty("label_index", out var label))
                    {
                        window.Feedback(id.GetString()!, label.GetInt32());
                    }

                    break;
                }

                case EvaluationKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("summary", out var summary)
                        && summary.Deserialize(MonitoringJsonContext.Default.EvaluationSummary) is { } parsed)
                    {
                        builder.AddEvaluation(parsed);
                        window?.Evaluation(parsed.Sequence, record.Json);
                    }

                    break;
                }

                case AlertKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("alert", out var alert)
                        && alert.Deserialize(MonitoringJsonContext.Default.AlertRecord) is { } parsed)
                    {
                        builder.AddAlert(parsed);
                        latest[parsed.Type] = parsed;
                    }

                    if (deliveries is not null && document.RootElement.TryGetProperty("notification", out var mail)
                        && document.RootElement.TryGetProperty("notification_id", out var mailId))
                    {
                        deliveries.Notification(mailId.GetString()!, mail.GetRawText());
                    }

                    break;
                }

                case DeliveryKind when deliveries is not null:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("notification_id", out var mailId))
                    {
                        deliveries.Delivered(mailId.GetString()!);
                    }

                    break;
                }
            }
        }

        return [.. latest.Values.Where(a => a.State == AlertState.Firing)];
    }

    private static void WriteFeature(Utf8JsonWriter json, FeatureDriftResult feature)
    {
        json.WriteString("feature", feature.Feature);
        json.WriteString("verdict", feature.Verdict.ToString().ToLowerInvariant());
        WriteNumber(json, "p_value", feature.PValue);
        WriteNumber(json, "adjusted_p_value", feature.AdjustedPValue);
        json.WriteString("effect_measure", feature.EffectSize);
        WriteNumber(json, "effect_size", feature.EffectValue);
        EvaluationRecordDetail.WriteFeatureDetail(json, feature);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
