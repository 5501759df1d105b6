using System.Text.Json.Serialization;

namespace ModelMonitor.Service.Alerts;

/// <summary>One e-mail waiting in the outbox: what to send, to whom, and how the attempts went.</summary>
internal sealed record AlertNotification(
    string NotificationId,
    string AlertId,
    string Severity,
    string Subject,
    string Body,
    IReadOnlyList<string> Recipients,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError);

/// <summary>Source-generated JSON for outbox files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AlertNotification))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
