using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;

namespace ModelMonitor.Monitoring.Tests.Alerts;

/// <summary>A performance alert raised on an estimate is replaced by the realized value when labels arrive.</summary>
public class EstimatedAlertTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Breach EstimatedDrop = new(AlertTypes.Performance, Severity.Critical, "estimated accuracy fell", ["accuracy"], ["estimated accuracy 0.70 [0.65, 0.75]"]) { Estimated = true };

    private static readonly Breach MeasuredDrop = new(AlertTypes.Performance, Severity.Critical, "accuracy fell", ["accuracy"], ["accuracy 0.71 on 120 labels"]);

    private static DriftEvaluation Evaluation(int minute, Breach? breach, double? realizedAccuracy = null) => new(
        minute,
        Start.AddMinutes(minute),
        new WindowInfo(500, realizedAccuracy is null ? 0 : 120, null, null),
        1000,
        null,
        [],
        null,
        new PerformanceBaseline(0.9, null, PerformanceBaseline.Configured),
        breach is null ? [] : [breach],
        breach?.Severity ?? Severity.None,
        breach is null ? "none" : "concept_drift")
    {
        Judgement = realizedAccuracy is { } a
            ? new PerformanceJudgement(new MetricJudgement("accuracy", a, a - 0.05, a + 0.05, 0.9, 0.85, 0.2, "wilson"), new MetricJudgement("f1_macro", a, a - 0.05, a + 0.05, null, null, null, "bootstrap"), 0.95)
            : null,
    };

    [Fact]
    public void An_estimated_drop_fires_an_alert_marked_estimated()
    {
        var tracker = new AlertTracker(new AlertPolicy());
        var fired = Assert.Single(tracker.Observe(Evaluation(0, EstimatedDrop)));
        Assert.Equal(AlertEventKind.Fired, fired.Kind);
        Assert.True(fired.Alert.Estimated);
        Assert.Equal(AlertTypes.Performance, fired.Alert.Type);
    }

    [Fact]
    public void Labels_that_do_not_confirm_the_drop_resolve_the_alert_at_once_with_a_note()
    {
        // Resolving normally takes three clean evaluations; realized labels overrule an estimate at once.
        var tracker = new AlertTracker(new AlertPolicy { ConsecutiveClean = 3 });
        tracker.Observe(Evaluation(0, EstimatedDrop));
        var resolved = Assert.Single(tracker.Observe(Evaluation(1, null, realizedAccuracy: 0.89)));
        Assert.Equal(AlertEventKind.Resolved, resolved.Kind);
        Assert.Contains("do not confirm the estimated drop", resolved.Alert.Note, StringComparison.Ordinal);
        Assert.Contains("0.890", resolved.Alert.Note, StringComparison.Ordinal);
        Assert.Empty(tracker.Active);
    }

    [Fact]
    public void A_clean_window_without_labels_does_not_resolve_an_estimated_alert_early()
    {
        var tracker = new AlertTracker(new AlertPolicy { ConsecutiveClean = 3 });
        tracker.Observe(Evaluation(0, EstimatedDrop));
        Assert.Empty(tracker.Observe(Evaluation(1, null)));
        Assert.Single(tracker.Active);
    }

    [Fact]
    public void Labels_that_confirm_a_high_estimated_drop_escalate_the_same_alert_to_critical()
    {
        var tracker = new AlertTracker(new AlertPolicy());
        var fired = Assert.Single(tracker.Observe(Evaluation(0, EstimatedDrop with { Severity = Severity.High })));
        var escalated = Assert.Single(tracker.Observe(Evaluation(1, MeasuredDrop, realizedAccuracy: 0.71)));
        Assert.Equal(AlertEventKind.Escalated, escalated.Kind);
        Assert.Equal(fired.Alert.Id, escalated.Alert.Id);
        Assert.Equal(Severity.Critical, escalated.Alert.Severity);
        Assert.False(escalated.Alert.Estimated);
    }

    [Fact]
    public void Labels_that_confirm_the_drop_keep_the_alert_firing_on_measured_values_without_a_second_mail()
    {
        var tracker = new AlertTracker(new AlertPolicy());
        var fired = Assert.Single(tracker.Observe(Evaluation(0, EstimatedDrop)));
        Assert.Empty(tracker.Observe(Evaluation(1, MeasuredDrop, realizedAccuracy: 0.71)));
        var active = Assert.Single(tracker.Active);
        Assert.Equal(fired.Alert.Id, active.Id);
        Assert.False(active.Estimated);
        Assert.Contains("confirm the estimated drop", active.Note, StringComparison.Ordinal);
        Assert.Equal(["accuracy 0.71 on 120 labels"], active.Evidence);
    }
}
