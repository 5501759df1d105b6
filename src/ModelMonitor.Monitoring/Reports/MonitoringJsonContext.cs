using System.Text.Json.Serialization;
using ModelMonitor.Monitoring.Alerts;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// The JSON shape of reports, alerts and evaluation summaries: snake_case, enums as lower-case
/// strings. One context for the live API, the audit records and the offline CLI, so all three agree.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = false)]
[JsonSerializable(typeof(MonitoringReport))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(EvaluationSummary))]
[JsonSerializable(typeof(History.HistoryPage))]
[JsonSerializable(typeof(History.TrafficPage))]
public sealed partial class MonitoringJsonContext : JsonSerializerContext;
