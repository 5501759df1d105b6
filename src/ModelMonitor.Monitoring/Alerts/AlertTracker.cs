using System.Security.Cryptography;
using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.Alerts;

/// <summary>
/// Turns evaluations into alert events, one alert key per type: an alert fires after N
/// consecutive breaching evaluations, is not repeated while it fires (dedup), escalates when its
/// severity rises, resolves after M clean evaluations, and a key that resolved waits out a
/// cooldown before it fires again at the same (or a lower) severity. The cooldown damps flapping
/// only: a breach more severe than the alert that resolved always fires, and every type is its
/// own key, so escalation and a new kind of finding are never silenced. Skipped evaluations
/// change nothing. Not thread-safe: one owner.
/// </summary>
public sealed class AlertTracker(AlertPolicy policy)
{
    private readonly Dictionary<string, KeyState> keys = AlertTypes.All.ToDictionary(t => t, _ => new KeyState(), StringComparer.Ordinal);
    private readonly LinkedList<AlertRecord> history = new();

    public IReadOnlyList<AlertRecord> Active => [.. keys.Values.Where(k => k.Active is not null).Select(k => k.Active!)];

    /// <summary>Newest first: every alert that fired, in its latest state.</summary>
    public IReadOnlyList<AlertRecord> Recent => [.. history];

    public IReadOnlyList<AlertEvent> Observe(DriftEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (evaluation.Skipped)
        {
            return [];
        }

        var now = evaluation.EvaluatedAt;
        var events = new List<AlertEvent>();
        foreach (var (type, state) in keys)
        {
            var breach = evaluation.Breaches.FirstOrDefault(b => b.Type == type);
            if (breach is null)
            {
                state.Breaching = 0;
                state.Clean++;

                // Labels arrived and do not confirm an estimated drop: the estimate is replaced by the realized value at once.
                var refuted = state.Active is { Estimated: true } && evaluation.Judgement is not null;
                if (state.Active is { } active && (state.Clean >= policy.ConsecutiveClean || refuted))
                {
                    var resolved = active with
                    {
                        State = AlertState.Resolved,
                        ResolvedAt = now,
                        Note = refuted ? $"The labels that arrived do not confirm the estimated drop: realized accuracy {evaluation.Judgement!.Accuracy.Value:F3}, macro F1 {evaluation.Judgement.F1.Value:F3} on {evaluation.Window.Labelled} labelled predictions." : active.Note,
                    };
                    state.Active = null;
                    state.ResolvedAt = now;
                    state.ResolvedSeverity = active.Severity;
                    Remember(resolved);
                    events.Add(new AlertEvent(AlertEventKind.Resolved, resolved, now));
                }

                continue;
            }

            state.Clean = 0;
            state.Breaching++;
            if (state.Active is { } firing)
            {
                if (firing.Estimated && !breach.Estimated)
                {
                    // Labels arrived and confirm the drop: the alert stays, now on realized values.
                    var confirmed = Describe(firing.Id, breach, evaluation, firing.FiredAt) with { Note = "The labels that arrived confirm the estimated drop." };
                    state.Active = confirmed;
                    Remember(confirmed);
                    if (breach.Severity > firing.Severity)
                    {
                        events.Add(new AlertEvent(AlertEventKind.Escalated, confirmed, now));
                    }

                    continue;
                }

                if (breach.Severity > firing.Severity)
                {
                    var escalated = Describe(firing.Id, breach, evaluation, firing.FiredAt);
                    state.Active = escalated;
                    Remember(escalated);
                    events.Add(new AlertEvent(AlertEventKind.Escalated, escalated, now));
                }

                continue;
            }

            // Only the same alert at the same severity is damped: escalation is never silenced.
            var coolingDown = state.ResolvedAt is { } resolvedAt
                && now - resolvedAt < policy.Cooldown
                && breach.Severity <= state.ResolvedSeverity;
            if (state.Breaching >= policy.ConsecutiveBreaches && !coolingDown)
            {
                var fired = Describe(NewId(now), breach, evaluation, now);
                state.Active = fired;
                Remember(fired);
                events.Add(new AlertEvent(AlertEventKind.Fired, fired, now));
            }
        }

        return events;
    }

    /// <summary>
    /// Restores an alert after a restart: a firing one becomes active again, so it can resolve
    /// instead of firing twice; a resolved one restarts its key's cooldown.
    /// </summary>
    public void Restore(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (keys.TryGetValue(alert.Type, out var state))
        {
            if (alert.State == AlertState.Firing)
            {
                state.Active = alert;
                state.Breaching = policy.ConsecutiveBreaches;
            }
            else if (alert.ResolvedAt is { } resolvedAt && (state.ResolvedAt is null || resolvedAt > state.ResolvedAt))
            {
                state.ResolvedAt = resolvedAt;
                state.ResolvedSeverity = alert.Severity;
                if (state.Active?.Id == alert.Id)
                {
                    // Another replica resolved the alert this one restored as firing.
                    state.Active = null;
                    state.Breaching = 0;
                }
            }
        }

        Remember(alert);
    }

    private static AlertRecord Describe(string id, Breach breach, DriftEvaluation evaluation, DateTimeOffset firedAt) => new(
        id,
        breach.Type,
        breach.Severity,
        AlertState.Firing,
        firedAt,
        null,
        evaluation.Sequence,
        breach.Summary,
        breach.Features,
        breach.Evidence,
        evaluation.Diagnosis,
        Playbook.ForAlert(breach.Type, evaluation.Diagnosis))
    {
        Estimated = breach.Estimated,
    };

    private static string NewId(DateTimeOffset now) =>
        $"alert-{now.ToUnixTimeMilliseconds():x12}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    private void Remember(AlertRecord alert)
    {
        for (var node = history.First; node is not null; node = node.Next)
        {
            if (node.Value.Id == alert.Id)
            {
                history.Remove(node);
                break;
            }
        }

        history.AddFirst(alert);
        while (history.Count > Math.Max(1, policy.History))
        {
            history.RemoveLast();
        }
    }

    private sealed class KeyState
    {
        public int Breaching { get; set; }

        public int Clean { get; set; }

        public AlertRecord? Active { get; set; }

        public DateTimeOffset? ResolvedAt { get; set; }

        /// <summary>The severity of the alert that resolved last: the cooldown damps only breaches no worse than it.</summary>
        public Severity ResolvedSeverity { get; set; }
    }
}
