using System.Text.Json.Serialization;
using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.Alerts;

/// <summary>Where an alert is in its life.</summary>
public enum AlertState
{
    [JsonStringEnumMemberName("firing")]
    Firing,
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}

/// <summary>
/// An alert: its key (the alert type), severity, what breached with the statistics and thresholds
/// involved, the recommended action, and when it fired and resolved.
/// </summary>
public sealed record AlertRecord(
    string Id,
    string Type,
    Severity Severity,
    AlertState State,
    DateTimeOffset FiredAt,
    DateTimeOffset? ResolvedAt,
    long Evaluation,
    string Summary,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Evidence,
    string Diagnosis,
    string Action)
{
    /// <summary>The alert rests on an estimate (a <c>performance</c> alert raised before labels arrived).</summary>
    public bool Estimated { get; init; }

    /// <summary>What became of it beyond its state, e.g. that labels confirmed, or did not confirm, an estimated drop.</summary>
    public string? Note { get; init; }
}

/// <summary>What happened to an alert in one evaluation, and so what is notified.</summary>
public enum AlertEventKind
{
    [JsonStringEnumMemberName("fired")]
    Fired,
    [JsonStringEnumMemberName("escalated")]
    Escalated,
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}

/// <summary>A change worth a notification: the alert as it is after the change.</summary>
public sealed record AlertEvent(AlertEventKind Kind, AlertRecord Alert, DateTimeOffset At)
{
    /// <summary>Stable per alert and change, so a retried notification can be recognised as the same one.</summary>
    public string NotificationId => $"{Alert.Id}-{Kind.ToString().ToLowerInvariant()}{(Kind == AlertEventKind.Escalated ? "-" + Alert.Severity.Name() : "")}";
}
