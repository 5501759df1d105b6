using System.Text.Json.Serialization;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Performance.Estimation;

/// <summary>
/// The JSON shape of the estimator's saved state, its estimates and their checks: snake_case and
/// enums as strings, like <see cref="Reports.MonitoringJsonContext"/>; an unbounded standard error is
/// written as "Infinity".
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = false)]
[JsonSerializable(typeof(PerformanceEstimatorState))]
[JsonSerializable(typeof(PerformanceEstimate))]
[JsonSerializable(typeof(EstimateCheck))]
public sealed partial class EstimationJsonContext : JsonSerializerContext;
