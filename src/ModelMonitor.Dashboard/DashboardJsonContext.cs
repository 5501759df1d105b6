using System.Text.Json.Serialization;

namespace ModelMonitor.Dashboard;

/// <summary>The page's JSON: the same shape as the service's API (snake_case, enums as lower-case strings, NaN as "NaN").</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = false)]
[JsonSerializable(typeof(DashboardData))]
[JsonSerializable(typeof(DashboardPageSettings))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
