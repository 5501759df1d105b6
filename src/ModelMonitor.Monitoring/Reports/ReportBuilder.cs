using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Statistics;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// Accumulates what the report covers (predictions, feedback, evaluations, alerts) from the live
/// service or from an audit replay, and builds the report. Thread-safe.
/// </summary>
public sealed class ReportBuilder
{
    private readonly Lock gate = new();
    private readonly List<EvaluationSummary> evaluations = [];
    private readonly Dictionary<string, AlertRecord> alerts = new(StringComparer.Ordinal);
    private long predictions;
    private long feedback;
    private long feedbackJoined;
    private readonly Dictionary<string, bool> labelled = new(StringComparer.Ordinal);
    private DateTimeOffset? from;
    private DateTimeOffset? to;

    public void AddPredictions(DateTimeOffset at, int count)
    {
        lock (gate)
        {
            predictions += count;
            Extend(at);
        }
    }

    public void AddFeedback(DateTimeOffset at, int count, int joined)
    {
        lock (gate)
        {
            feedback += count;
            feedbackJoined += joined;
            Extend(at);
        }
    }

    /// <summary>A labelled prediction of the period, and whether the model got it right; a new label for the same prediction replaces the old one.</summary>
    public void AddLabel(string predictionId, bool correct)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        lock (gate)
        {
            labelled[predictionId] = correct;
        }
    }

    public void AddEvaluation(EvaluationSummary evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        lock (gate)
        {
            evaluations.Add(evaluation);
        }
    }

    /// <summary>Adds an alert or replaces it with its newer state (escalated, resolved).</summary>
    public void AddAlert(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (gate)
        {
            alerts[alert.Id] = alert;
        }
    }

    /// <summary>The latest evaluation recorded, live or replayed from the audit (the highest sequence, then the latest time), or null.</summary>
    public EvaluationSummary? LatestEvaluation
    {
        get
        {
            lock (gate)
            {
                return evaluations.OrderBy(e => e.Sequence).ThenBy(e => e.At).LastOrDefault();
            }
        }
    }

    public MonitoringReport Build(DateTimeOffset now, int lastAlerts = 10)
    {
        lock (gate)
        {
            var judged = evaluations.Where(e => !e.Skipped).ToArray();
            var accuracies = judged.Where(e => e.Accuracy is not null).Select(e => e.Accuracy!.Value).ToArray();
            var f1s = judged.Where(e => e.F1Macro is not null).Select(e => e.F1Macro!.Value).ToArray();
            var performance = accuracies.Length == 0
                ? new PerformanceSummary(0, null, null, null, null, null)
                : new PerformanceSummary(accuracies.Length, Descriptive.Mean(accuracies), accuracies.Min(), accuracies.Max(), Descriptive.StandardDeviation(accuracies), f1s.Length == 0 ? null : Descriptive.Mean(f1s));
            if (labelled.Count > 0)
            {
                // Over the period's labelled predictions, each once: overlapping windows would count
                // a prediction in every evaluation that held it.
                var correct = labelled.Values.Count(c => c);
                var interval = Proportions.Wilson(correct, labelled.Count, 0.95);
                performance = performance with { LabelledPredictions = labelled.Count, Accuracy = (double)correct / labelled.Count, AccuracyLow = interval.Low, AccuracyHigh = interval.High };
            }

            var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s.Name(), s => judged.Count(e => e.Severity == s), StringComparer.Ordinal);
            var byType = AlertTypes.All.ToDictionary(t => t, t => alerts.Values.Count(a => a.Type == t), StringComparer.Ordinal);
            var latest = judged.Length == 0 ? null : judged[^1];
            var drift = new DriftSummary(
                evaluations.Count,
                evaluations.Count - judged.Length,
                judged.Count(e => e.Severity > Severity.None),
                bySeverity,
                byType,
                latest?.Severity ?? Severity.None,
                latest?.Diagnosis ?? "none");
            var recent = alerts.Values.OrderByDescending(a => a.FiredAt).ThenByDescending(a => a.Id, StringComparer.Ordinal).Take(lastAlerts).ToArray();
            return new MonitoringReport(now, from, to, predictions, feedback, feedbackJoined, performance, drift, recent, Recommend(judged, accuracies.Length > 0))
            {
                Estimation = Estimation(judged),
            };
        }
    }

    /// <summary>How many estimates the period held, their means, and the latest 50 beside the realized values.</summary>
    private static EstimationSummary? Estimation(EvaluationSummary[] judged)
    {
        var estimated = judged.Where(e => e.EstimatedAccuracy is not null).ToArray();
        if (estimated.Length == 0)
        {
            return null;
        }

        var rows = estimated.Select(e => new EstimatedAgainstRealized(e.Sequence, e.At, e.EstimatedAccuracy!.Value, e.EstimatedAccuracyLow ?? 0, e.EstimatedAccuracyHigh ?? 1, e.Accuracy, e.EstimatedF1, e.F1Macro)).ToArray();
        var f1s = estimated.Where(e => e.EstimatedF1 is not null).Select(e => e.EstimatedF1!.Value).ToArray();
        return new EstimationSummary(
            estimated.Length,
            Descriptive.Mean([.. rows.Select(r => r.EstimatedAccuracy)]),
            f1s.Length == 0 ? null : Descriptive.Mean(f1s),
            rows.Count(r => r.RealizedAccuracy is not null),
            rows.Count(r => r.WithinInterval == true),
            [.. rows.TakeLast(50).Reverse()]);
    }

    /// <summary>The playbook actions for the kinds of change seen, the most recent first; feedback when nothing could judge performance.</summary>
    private static string[] Recommend(EvaluationSummary[] judged, bool hadLabels)
    {
        var actions = judged.Reverse()
            .Where(e => e.Diagnosis != "none")
            .Select(e => Playbook.ForDiagnosis(e.Diagnosis))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (actions.Count == 0)
        {
            actions.Add(Playbook.Healthy);
        }

        if (!hadLabels)
        {
            actions.Add(Playbook.CollectFeedback);
        }

        return [.. actions];
    }

    private void Extend(DateTimeOffset at)
    {
        from = from is null || at < from ? at : from;
        to = to is null || at > to ? at : to;
    }
}
