using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Service.Options;

/// <summary>Alerting (section <c>Alerts</c>): when alerts fire and resolve, and how e-mail goes out.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    public int ConsecutiveBreaches { get; set; } = 1;

    public int ConsecutiveClean { get; set; } = 1;

    /// <summary>Seconds after an alert resolves before the same alert key may fire again.</summary>
    public int CooldownSeconds { get; set; } = 600;

    /// <summary>Past alerts kept for /alerts.</summary>
    public int History { get; set; } = 100;

    /// <summary>Alerts below this severity are recorded but not e-mailed.</summary>
    public Severity MinimumEmailSeverity { get; set; } = Severity.Low;

    /// <summary>Unsent notifications wait here, one file each, and survive restarts.</summary>
    public string OutboxDirectory { get; set; } = "data/alerts";

    public int InitialBackoffMs { get; set; } = 1000;

    public int MaxBackoffMs { get; set; } = 60_000;

    /// <summary>Give up on a notification after this many failed attempts (0: never; the file stays in the outbox).</summary>
    public int MaxAttempts { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The dashboard's address as readers of the e-mail reach it (e.g. <c>https://modelmonitor.example.com/dashboard</c>); when set, every alert e-mail links to it.</summary>
    public string? DashboardUrl { get; set; }

    public AlertPolicy ToPolicy() => new()
    {
        ConsecutiveBreaches = ConsecutiveBreaches,
        ConsecutiveClean = ConsecutiveClean,
        Cooldown = TimeSpan.FromSeconds(CooldownSeconds),
        History = History,
    };
}
