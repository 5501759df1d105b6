using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;

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

    public static AuditEntry Feedback(DateTimeOffset at, string? requestId, string predictionId, string label, bool joined) =>
        new(FeedbackKind, at, requestId, json =>
        {
            json.WriteString("prediction_id", predictionId);
            json.WriteString("label", label);
            json.WriteBoolean("joined", joined);
        });

    public static AuditEntry Evaluation(DriftEvaluation evaluation)
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

            json.WriteStartArray("features");
            foreach (var feature in evaluation.Features)
            {
                json.WriteStartObject();
                json.WriteString("feature", feature.Feature);
                json.WriteString("verdict", feature.Verdict.ToString().ToLowerInvariant());
                WriteNumber(json, "p_value", feature.PValue);
                WriteNumber(json, "adjusted_p_value", feature.AdjustedPValue);
                json.WriteString("effect_size", feature.EffectSize);
                WriteNumber(json, "effect_value", feature.EffectValue);
                json.WriteEndObject();
            }

            json.WriteEndArray();
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
        });
    }

    public static AuditEntry Alert(AlertEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new AuditEntry(AlertKind, change.At, null, json =>
        {
            json.WriteString("event", change.Kind.ToString().ToLowerInvariant());
            json.WriteString("notification_id", change.NotificationId);
            json.WritePropertyName("alert");
            JsonSerializer.Serialize(json, change.Alert, MonitoringJsonContext.Default.AlertRecord);
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

    /// <summary>Feeds every monitoring-relevant record of an audit store, oldest first, into a report builder; returns the alerts still firing.</summary>
    public static IReadOnlyList<AlertRecord> Replay(string directory, ReportBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var latest = new Dictionary<string, AlertRecord>(StringComparer.Ordinal);
        foreach (var record in AuditReader.Export(directory, null, null))
        {
            switch (record.Kind)
            {
                case PredictionKind:
                    builder.AddPredictions(record.Timestamp, 1);
                    break;
                case FeedbackKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    var joined = document.RootElement.TryGetProperty("joined", out var j) && j.ValueKind == JsonValueKind.True;
                    builder.AddFeedback(record.Timestamp, 1, joined ? 1 : 0);
                    break;
                }

                case EvaluationKind:
                {
                    using var document = JsonDocument.Parse(record.Json);
                    if (document.RootElement.TryGetProperty("summary", out var summary)
                        && summary.Deserialize(MonitoringJsonContext.Default.EvaluationSummary) is { } parsed)
                    {
                        builder.AddEvaluation(parsed);
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

                    break;
                }
            }
        }

        return [.. latest.Values.Where(a => a.State == AlertState.Firing)];
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
