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

    public AlertPolicy ToPolicy() => new()
    {
        ConsecutiveBreaches = ConsecutiveBreaches,
        ConsecutiveClean = ConsecutiveClean,
        Cooldown = TimeSpan.FromSeconds(CooldownSeconds),
        History = History,
    };
}

/// <summary>The SMTP server alerts are sent through (section <c>Alerts:Smtp</c>). No host: e-mail is off.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string From { get; set; } = "modelmonitor@localhost";

    /// <summary>Recipients of every alert.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Extra recipients by severity name (low, medium, high, critical).</summary>
    public IDictionary<string, IList<string>> Recipients { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Upgrade the connection with STARTTLS before sending.</summary>
    public bool StartTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public int TimeoutMs { get; set; } = 10_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
