using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;

namespace ModelMonitor.Monitoring.Tests.Alerts;

public class AlertTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DriftEvaluation Evaluation(int minute, params Breach[] breaches) => new(
        minute,
        Start.AddMinutes(minute),
        new WindowInfo(500, 0, null, null),
        1000,
        null,
        [],
        null,
        PerformanceBaseline.None,
        breaches,
        breaches.Length == 0 ? Severity.None : breaches.Max(b => b.Severity),
        breaches.Length == 0 ? "none" : "data_drift");

    private static Breach Input(Severity severity) => new(AlertTypes.InputDrift, severity, "inputs drifted", ["char_length"], ["char_length: ks ..."]);

    private static Breach Output() => new(AlertTypes.OutputDrift, Severity.Medium, "outputs drifted", ["confidence"], []);

    [Fact]
    public void Fires_after_n_consecutive_breaches_and_a_clean_one_resets_the_count()
    {
        var tracker = new AlertTracker(new AlertPolicy { ConsecutiveBreaches = 2 });
        Assert.Empty(tracker.Observe(Evaluation(0, Input(Severity.Low))));
        Assert.Empty(tracker.Observe(Evaluation(1)));
        Assert.Empty(tracker.Observe(Evaluation(2, Input(Severity.Low))));
        var fired = Assert.Single(tracker.Observe(Evaluation(3, Input(Severity.Low))));
        Assert.Equal(AlertEventKind.Fired, fired.Kind);
        Assert.Equal(AlertTypes.InputDrift, fired.Alert.Type);
        Assert.Equal(Playbook.InvestigateInputs, fired.Alert.Action);
        Assert.Single(tracker.Active);
    }

    [Fact]
    public void A_firing_alert_is_not_repeated_but_escalates_and_then_resolves()
    {
        var tracker = new AlertTracker(new AlertPolicy());
        var fired = tracker.Observe(Evaluation(0, Input(Severity.Low))).Single();
        Assert.Empty(tracker.Observe(Evaluation(1, Input(Severity.Low))));
        var escalated = tracker.Observe(Evaluation(2, Input(Severity.High))).Single();
        Assert.Equal((AlertEventKind.Escalated, Severity.High, fired.Alert.Id), (escalated.Kind, escalated.Alert.Severity, escalated.Alert.Id));
        Assert.NotEqual(fired.NotificationId, escalated.NotificationId);
        Assert.Empty(tracker.Observe(Evaluation(3, Input(Severity.Low))));
        var resolved = tracker.Observe(Evaluation(4)).Single();
        Assert.Equal((AlertEventKind.Resolved, AlertState.Resolved, Start.AddMinutes(4)), (resolved.Kind, resolved.Alert.State, resolved.Alert.ResolvedAt));
        Assert.Empty(tracker.Active);
        Assert.Equal(fired.Alert.Id, Assert.Single(tracker.Recent).Id);
    }

    [Fact]
    public void Keys_are_independent_and_a_resolved_key_waits_out_its_cooldown()
    {
        var tracker = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromMinutes(10) });
        Assert.Equal(2, tracker.Observe(Evaluation(0, Input(Severity.Low), Output())).Count);
        Assert.Equal(AlertTypes.OutputDrift, tracker.Observe(Evaluation(1, Input(Severity.Low))).Single().Alert.Type);
        Assert.Equal(AlertTypes.InputDrift, tracker.Observe(Evaluation(2)).Single().Alert.Type);
        Assert.Empty(tracker.Observe(Evaluation(5, Input(Severity.Low))));
        Assert.Empty(tracker.Observe(Evaluation(11, Input(Severity.Low))));
        Assert.Equal(AlertEventKind.Fired, tracker.Observe(Evaluation(12, Input(Severity.Low))).Single().Kind);
    }

    [Fact]
    public void Resolving_needs_m_clean_evaluations_and_skipped_ones_change_nothing()
    {
        var tracker = new AlertTracker(new AlertPolicy { ConsecutiveClean = 2 });
        tracker.Observe(Evaluation(0, Input(Severity.Low)));
        Assert.Empty(tracker.Observe(Evaluation(1)));
        Assert.Empty(tracker.Observe(Evaluation(2) with { SkippedReason = "small window" }));
        Assert.Equal(AlertEventKind.Resolved, tracker.Observe(Evaluation(3)).Single().Kind);
    }

    [Fact]
    public void A_restored_firing_alert_resolves_instead_of_firing_again()
    {
        var first = new AlertTracker(new AlertPolicy());
        var fired = first.Observe(Evaluation(0, Input(Severity.Low))).Single().Alert;
        var restarted = new AlertTracker(new AlertPolicy());
        restarted.Restore(fired);
        Assert.Empty(restarted.Observe(Evaluation(1, Input(Severity.Low))));
        Assert.Equal(fired.Id, restarted.Observe(Evaluation(2)).Single().Alert.Id);
    }

    [Fact]
    public void A_restored_resolved_alert_keeps_its_keys_cooldown()
    {
        var first = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromMinutes(10) });
        first.Observe(Evaluation(0, Input(Severity.Low)));
        var resolved = first.Observe(Evaluation(1)).Single().Alert;
        var restarted = new AlertTracker(new AlertPolicy { Cooldown = TimeSpan.FromMinutes(10) });
        restarted.Restore(resolved);
        Assert.Empty(restarted.Observe(Evaluation(5, Input(Severity.Low))));
        Assert.Equal(AlertEventKind.Fired, restarted.Observe(Evaluation(12, Input(Severity.Low))).Single().Kind);
    }
}
