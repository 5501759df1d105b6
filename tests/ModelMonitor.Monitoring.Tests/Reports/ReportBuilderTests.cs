using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Testing;

namespace ModelMonitor.Monitoring.Tests.Reports;

public class ReportBuilderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static EvaluationSummary Summary(int sequence, double? accuracy, Severity severity = Severity.None, string diagnosis = "none", bool skipped = false) =>
        new(sequence, Start.AddMinutes(sequence), skipped, 500, accuracy is null ? 0 : 100, severity, diagnosis, accuracy, accuracy - 0.01, [], []);

    [Fact]
    public void Performance_summary_is_over_evaluations_with_labels()
    {
        var builder = new ReportBuilder();
        builder.AddPredictions(Start, 10);
        builder.AddPredictions(Start.AddHours(1), 5);
        builder.AddEvaluation(Summary(1, 0.8));
        builder.AddEvaluation(Summary(2, 0.9));
        builder.AddEvaluation(Summary(3, null));
        builder.AddEvaluation(Summary(4, 0.7, skipped: true));
        var report = builder.Build(Start.AddHours(2));

        Assert.Equal((Start, Start.AddHours(1), 15L), (report.PeriodFrom!.Value, report.PeriodTo!.Value, report.Predictions));
        Assert.Equal(2, report.Performance.Evaluations);
        Assert.Equal(0.85, report.Performance.AccuracyMean!.Value, 12);
        Assert.Equal((0.8, 0.9), (report.Performance.AccuracyMin!.Value, report.Performance.AccuracyMax!.Value));
        Assert.Equal(0.05, report.Performance.AccuracyStd!.Value, 12);
        Assert.Equal(0.84, report.Performance.F1Mean!.Value, 12);
        Assert.Equal((4, 1, 0), (report.Drift.Evaluations, report.Drift.Skipped, report.Drift.WithDrift));
        Assert.Equal([Playbook.Healthy], report.Recommendations);
    }

    [Fact]
    public void Recommendations_follow_the_kinds_of_change_seen_latest_first()
    {
        var builder = new ReportBuilder();
        builder.AddEvaluation(Summary(1, null, Severity.Low, "data_drift"));
        builder.AddEvaluation(Summary(2, null, Severity.Critical, "concept_drift"));
        builder.AddEvaluation(Summary(3, null, Severity.Low, "data_drift"));
        var report = builder.Build(Start);
        Assert.Equal([Playbook.InvestigateInputs, Playbook.Retrain, Playbook.CollectFeedback], report.Recommendations);
        Assert.Equal(1, report.Drift.EvaluationsBySeverity["critical"]);
        Assert.Equal((Severity.Low, "data_drift"), (report.Drift.CurrentSeverity, report.Drift.CurrentDiagnosis));
    }

    [Fact]
    public void Alerts_count_once_per_alert_in_their_latest_state_newest_first()
    {
        var builder = new ReportBuilder();
        for (var i = 0; i < 12; i++)
        {
            builder.AddAlert(Alert($"a{i:00}", AlertTypes.InputDrift, Start.AddMinutes(i), AlertState.Firing));
        }

        builder.AddAlert(Alert("a11", AlertTypes.InputDrift, Start.AddMinutes(11), AlertState.Resolved));
        var report = builder.Build(Start);
        Assert.Equal(12, report.Drift.AlertsByType[AlertTypes.InputDrift]);
        Assert.Equal(10, report.LastAlerts.Count);
        Assert.Equal(("a11", AlertState.Resolved), (report.LastAlerts[0].Id, report.LastAlerts[0].State));
    }

    [Fact]
    public void Every_playbook_action_is_written_in_docs_playbook()
    {
        var playbook = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "playbook.md"));
        Assert.All(Playbook.All, action => Assert.Contains(action, playbook, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replaying_the_audit_store_rebuilds_the_same_report_and_the_firing_alerts()
    {
        var directory = Directory.CreateTempSubdirectory("mm-report-").FullName;
        try
        {
            var live = new ReportBuilder();
            var tracker = new AlertTracker(new AlertPolicy());
            var evaluation = new DriftEvaluation(1, Start, new WindowInfo(200, 50, Start, Start), 1000, null, [], null, Performance.PerformanceBaseline.None, [new Breach(AlertTypes.InputDrift, Severity.High, "3 input features drifted", ["char_length"], ["char_length: ks 0.5"])], Severity.High, "data_drift");
            var changes = tracker.Observe(evaluation);
            await using (var log = new AuditLog(new AuditSettings { Directory = directory }))
            {
                using var stop = new CancellationTokenSource();
                var writer = log.RunAsync(stop.Token);
                List<AuditEntry> entries = [MonitoringAuditRecords.Evaluation(evaluation), .. changes.Select(c => MonitoringAuditRecords.Alert(c))];
                entries.Add(new AuditEntry(MonitoringAuditRecords.PredictionKind, Start, "r1", json => json.WriteString("label", "POSITIVE")));
                entries.Add(MonitoringAuditRecords.Feedback(Start.AddSeconds(1), "r2", "p1", "POSITIVE", 1, joined: true));
                await log.AppendAsync(entries);
                await stop.CancelAsync();
                await writer;
            }

            live.AddEvaluation(EvaluationSummary.From(evaluation));
            live.AddAlert(changes.Single().Alert);
            live.AddPredictions(Start, 1);
            live.AddFeedback(Start.AddSeconds(1), 1, 1);
            var replayed = new ReportBuilder();
            var firing = MonitoringAuditRecords.Replay(directory, replayed);

            Assert.Equal(changes.Single().Alert.Id, firing.Single().Id);
            string Json(ReportBuilder b) => JsonSerializer.Serialize(b.Build(Start), MonitoringJsonContext.Default.MonitoringReport);
            Assert.Equal(Json(live), Json(replayed));
            Assert.Contains("\"current_severity\":\"high\"", Json(replayed), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_score_reference_survives_the_audit_round_trip_and_the_replay_hands_over_the_latest()
    {
        var directory = Directory.CreateTempSubdirectory("mm-scores-").FullName;
        try
        {
            var sample = ModelMonitor.Monitoring.Reference.ScoreSample.From(Start, "train.tsv", ModelMonitor.Monitoring.Tests.Drift.Synthetic.Vectors(50, seed: 1), "p-50");
            var reset = new ModelMonitor.Monitoring.Reference.ScoreSample(Start.AddMinutes(1), "request", [], [], []);
            await using (var log = new AuditLog(new AuditSettings { Directory = directory }))
            {
                using var stop = new CancellationTokenSource();
                var writer = log.RunAsync(stop.Token);
                await log.AppendAsync([MonitoringAuditRecords.ScoreReference(sample, "abc"), MonitoringAuditRecords.ScoreReference(reset, "abc")]);
                await stop.CancelAsync();
                await writer;
            }

            var seen = new ScoreRecords();
            MonitoringAuditRecords.Replay(directory, new ReportBuilder(), seen);
            Assert.Equal(2, seen.Records.Count);
            using var first = JsonDocument.Parse(seen.Records[0].Json);
            var (read, model) = MonitoringAuditRecords.ReadScoreReference(seen.Records[0].At, first.RootElement);
            Assert.Equal(("abc", "train.tsv", "p-50", Start), (model, read.ReferenceSource, read.LastPredictionId, read.FrozenAt));
            Assert.Equal(sample.Confidence, read.Confidence);
            Assert.Equal(sample.Margin, read.Margin);
            Assert.Equal(sample.Entropy, read.Entropy);
            using var latest = JsonDocument.Parse(seen.Records[1].Json);
            Assert.Equal(0, MonitoringAuditRecords.ReadScoreReference(seen.Records[1].At, latest.RootElement).Sample.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class ScoreRecords : IReplayWindow
    {
        public List<(DateTimeOffset At, string Json)> Records { get; } = [];

        public void Prediction(string id, DateTimeOffset at, string recordJson)
        {
        }

        public void Feedback(string predictionId, int label)
        {
        }

        public void ScoreReference(DateTimeOffset at, string recordJson) => Records.Add((at, recordJson));
    }

    private static AlertRecord Alert(string id, string type, DateTimeOffset at, AlertState state) =>
        new(id, type, Severity.Low, state, at, state == AlertState.Resolved ? at : null, 1, "s", [], [], "data_drift", Playbook.InvestigateInputs);
}
