using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Tests.Logging;
using Serilog.Events;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>
/// The real service with e-mail to 127.0.0.1:<c>port</c> and drift monitoring off: a test hands
/// the mailer notifications itself and watches what the mailer logs and keeps in its outbox.
/// </summary>
internal sealed class MailerHost : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly CapturingServiceFactory factory;

    private readonly TimeProvider time;

    public MailerHost(int port, params (string Key, string? Value)[] settings)
        : this(port, TimeProvider.System, settings)
    {
    }

    /// <param name="time">The service's clock (a FakeTimeProvider drives the retries by hand).</param>
    public MailerHost(int port, TimeProvider time, params (string Key, string? Value)[] settings)
    {
        this.time = time;
        var overrides = new Dictionary<string, string?>
        {
            ["Drift:Enabled"] = "false",
            ["Alerts:InitialBackoffMs"] = "200",
            ["Alerts:MaxBackoffMs"] = "400",
            ["Alerts:Smtp:Host"] = "127.0.0.1",
            ["Alerts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Smtp:To"] = "ml-team@example.com",
        };
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        factory = new CapturingServiceFactory(overrides, services => services.AddSingleton(time));
        Mailer = factory.Services.GetRequiredService<AlertMailer>();
    }

    public AlertMailer Mailer { get; }

    public LogCapture Logs => factory.Logs;

    public string PendingDirectory => Path.Combine(factory.AuditDirectory + "-alerts", "pending");

    public async Task<AlertNotification> SendAsync(string subject)
    {
        var now = time.GetUtcNow();
        var notification = new AlertNotification(Guid.CreateVersion7().ToString("N"), "alert-" + subject, "high", subject, $"Test alert {subject}.\r\n", ["ml-team@example.com"], now, 0, now, null);
        await Mailer.EnqueueAsync(notification, CancellationToken.None);
        return notification;
    }

    /// <summary>The mailer's log line for a failed attempt at this notification (event 61).</summary>
    public Task<LogEvent> AttemptFailedAsync(AlertNotification notification) =>
        Logs.WaitForAsync(e => e.Level == LogEventLevel.Warning && LogCapture.Property(e, "NotificationId") as string == notification.NotificationId && e.MessageTemplate.Text.Contains("failed, retrying", StringComparison.Ordinal), Deadline);

    public static string Reason(LogEvent attemptFailed) => LogCapture.Property(attemptFailed, "Reason") as string ?? "";

    public bool IsPending(AlertNotification notification) => File.Exists(Path.Combine(PendingDirectory, notification.NotificationId + ".json"));

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    public void Dispose() => factory.Dispose();
}
