using Microsoft.Extensions.Time.Testing;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;

namespace ModelMonitor.Monitoring.Tests.Alerts;

/// <summary>Issue 14, item 3: the cooldown damps flapping of the same alert at the same severity; escalation always notifies.</summary>
public class EscalationTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private long sequence;

    private DriftEvaluation Evaluate(params Breach[] breaches) => new(
        ++sequence,
        clock.GetUtcNow(),
        new WindowInfo(500, 0, null, null),
        1000,
        null,
        [],
        null,
        PerformanceBaseline.None,
        breaches,
        breaches.Length == 0 ? Severity.None : breaches.Max(b => b.Severity),
        breaches.Length == 0 ? "none" : "data_drift");

    private static Breach Input(Severity severity) => new(AlertTypes.InputDrift, severity, "inputs drifted", ["char_length"], []);

    private static Breach Output() => new(AlertTypes.OutputDrift, Severity.Medium, "outputs drifted", ["confidence"], []);

    [Fact]
    public void A_low_alert_that_resolved_does_not_silence_a_high_one_during_the_cooldown()
    {
        var tracker = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromSeconds(600) });
        Assert.Equal(AlertEventKind.Fired, tracker.Observe(Evaluate(Input(Severity.Low))).Single().Kind);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(AlertEventKind.Resolved, tracker.Observe(Evaluate()).Single().Kind);

        clock.Advance(TimeSpan.FromSeconds(60));
        var fired = tracker.Observe(Evaluate(Input(Severity.High))).Single();
        Assert.Equal((AlertEventKind.Fired, Severity.High), (fired.Kind, fired.Alert.Severity));

        // The next four high evaluations are the same alert still firing: deduplicated, not silenced.
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(60));
            Assert.Empty(tracker.Observe(Evaluate(Input(Severity.High))));
        }

        Assert.Equal(Severity.High, tracker.Active.Single().Severity);
    }

    [Fact]
    public void The_cooldown_damps_the_same_alert_at_the_same_or_a_lower_severity()
    {
        var tracker = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromSeconds(600) });
        tracker.Observe(Evaluate(Input(Severity.High)));
        clock.Advance(TimeSpan.FromSeconds(60));
        tracker.Observe(Evaluate());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(tracker.Observe(Evaluate(Input(Severity.High))));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(tracker.Observe(Evaluate(Input(Severity.Low))));
        clock.Advance(TimeSpan.FromSeconds(600));
        Assert.Equal(AlertEventKind.Fired, tracker.Observe(Evaluate(Input(Severity.Low))).Single().Kind);
    }

    [Fact]
    public void A_new_alert_type_notifies_while_another_type_cools_down()
    {
        var tracker = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromSeconds(600) });
        tracker.Observe(Evaluate(Input(Severity.Low)));
        clock.Advance(TimeSpan.FromSeconds(60));
        tracker.Observe(Evaluate());
        clock.Advance(TimeSpan.FromSeconds(60));
        var events = tracker.Observe(Evaluate(Input(Severity.Low), Output()));
        var fired = Assert.Single(events);
        Assert.Equal((AlertEventKind.Fired, AlertTypes.OutputDrift), (fired.Kind, fired.Alert.Type));
    }

    [Fact]
    public void A_restored_resolved_alert_damps_only_its_own_severity()
    {
        var first = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromSeconds(600) });
        first.Observe(Evaluate(Input(Severity.Low)));
        clock.Advance(TimeSpan.FromSeconds(60));
        var resolved = first.Observe(Evaluate()).Single().Alert;

        var restarted = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromSeconds(600) });
        restarted.Restore(resolved);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(restarted.Observe(Evaluate(Input(Severity.Low))));
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(Severity.High, restarted.Observe(Evaluate(Input(Severity.High))).Single().Alert.Severity);
    }
}
