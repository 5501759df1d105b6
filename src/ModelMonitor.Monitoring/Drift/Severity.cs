using System.Text.Json.Serialization;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>How bad a finding is, from none to critical. Ordered: a higher value is worse.</summary>
public enum Severity
{
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("low")]
    Low,
    [JsonStringEnumMemberName("medium")]
    Medium,
    [JsonStringEnumMemberName("high")]
    High,
    [JsonStringEnumMemberName("critical")]
    Critical,
}

/// <summary>Lower-case names for JSON, e-mail and metrics.</summary>
public static class SeverityNames
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.None => "none",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };
}
