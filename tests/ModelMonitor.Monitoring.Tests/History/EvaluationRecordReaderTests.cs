using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Monitoring.Tests.Drift;

namespace ModelMonitor.Monitoring.Tests.History;

/// <summary>A drift_evaluation record reads back with what the plots need, and older records still read.</summary>
public sealed class EvaluationRecordReaderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly AuditStore store = new();

    public void Dispose() => store.Dispose();

    private static DriftEvaluation Evaluation(long sequence, DateTimeOffset at, double lengthScale)
    {
        var window = Synthetic.Vectors(400, seed: (int)sequence, lengthScale: lengthScale);
        return DriftEvaluator.Evaluate(
            sequence,
            at,
            Synthetic.Profile(Synthetic.Vectors(2000, seed: 100)),
            new WindowSample(window, Synthetic.Truth(window, 0.2, seed: 7), at.AddMinutes(-5), at),
            new PerformanceBaseline(0.85, 0.85, PerformanceBaseline.Configured),
            new DriftPolicy());
    }

    [Fact]
    public async Task A_record_reads_back_with_its_window_performance_intervals_and_histograms()
    {
        var evaluation = Evaluation(1, Start, lengthScale: 1.6);
        await store.WriteAsync([MonitoringAuditRecords.Evaluation(evaluation)]);

        var point = Assert.Single(DriftHistory.Read(store.Directory, new HistoryQuery()).Evaluations);
        Assert.Equal(1, point.Sequence);
        Assert.Equal(evaluation.Severity, point.Severity);
        Assert.Equal(400, point.Window);
        Assert.Equal(400, point.Labelled);
        Assert.Equal(Start.AddMinutes(-5), point.WindowFrom);
        Assert.Equal(2000, point.ReferenceCount);
        var performance = point.Performance!;
        Assert.Equal(evaluation.Performance!.Accuracy, performance.Accuracy);
        Assert.Equal(evaluation.Performance.RecallMacro, performance.RecallMacro);
        Assert.Equal(evaluation.Judgement!.Accuracy.Low, performance.AccuracyLow);
        Assert.Equal(evaluation.Judgement.F1.High, performance.F1High);
        Assert.Equal(evaluation.Judgement.F1.Value, performance.F1);
        Assert.Equal(0.85, performance.BaselineAccuracy);
        Assert.NotNull(point.LabelMix?.Histogram);

        Assert.Equal(evaluation.Features.Select(f => f.Feature), point.Features.Select(f => f.Feature));
        foreach (var (judged, read) in evaluation.Features.Zip(point.Features))
        {
            Assert.Equal(judged.Verdict.ToString().ToLowerInvariant(), read.Verdict);
            Assert.Equal(judged.Tests[0].Test, read.Test);
            Assert.Equal(judged.PValue, read.PValue);
            var histogram = read.Histogram!;
            Assert.Equal(judged.Histogram!.Reference, histogram.Reference);
            Assert.Equal(judged.Histogram.Current, histogram.Current);
            Assert.Equal(judged.Histogram.Categories, histogram.Categories);
            Assert.Equal(judged.Histogram.Edges.Count, histogram.Edges.Count);
            Assert.All(judged.Histogram.Edges.Zip(histogram.Edges), e => Assert.Equal(e.First, e.Second, Math.Abs(e.First) * 1e-5));
        }

        Assert.Contains(point.Features, f => f.Verdict == "drift" && f.Feature == "char_length");
    }

    [Fact]
    public async Task A_record_written_before_the_detail_existed_still_reads()
    {
        await store.WriteAsync([MonitoringAuditRecords.Evaluation(Evaluation(1, Start, 1))]);
        store.AppendRaw("""
            {"v":1,"id":"019aa9a8c9400000aaaaaaaaaaaaaaaa","ts":"2026-11-22T09:00:00.0000000Z","kind":"drift_evaluation","summary":{"sequence":2,"at":"2026-11-22T09:00:00+00:00","skipped":false,"window":300,"labelled":40,"severity":"medium","diagnosis":"output_drift","accuracy":0.8,"f1_macro":0.79,"breach_types":["output_drift"],"drifted_features":["confidence"]},"features":[{"feature":"confidence","verdict":"drift","p_value":0.001,"adjusted_p_value":"NaN","effect_measure":"wasserstein_normed","effect_size":0.3}],"breaches":[],"prev":"x"}
            """);

        var points = DriftHistory.Read(store.Directory, new HistoryQuery()).Evaluations;
        Assert.Equal([1L, 2L], points.Select(p => p.Sequence));
        var old = points[1];
        Assert.Equal(Severity.Medium, old.Severity);
        Assert.Null(old.ReferenceCount);
        Assert.Null(old.WindowFrom);
        Assert.Equal(0.8, old.Performance!.Accuracy);
        Assert.Equal(0.79, old.Performance.F1Macro);
        Assert.Null(old.Performance.AccuracyLow);
        var feature = Assert.Single(old.Features);
        Assert.Null(feature.Histogram);
        Assert.Null(feature.Test);
        Assert.True(double.IsNaN(feature.AdjustedPValue!.Value));
        Assert.Equal(["confidence"], old.DriftedFeatures);
    }

    [Fact]
    public void A_damaged_or_foreign_record_reads_as_nothing()
    {
        Assert.Null(EvaluationRecordReader.Read(new AuditRecordView("a", Start, "drift_evaluation", "{\"summary\":")));
        Assert.Null(EvaluationRecordReader.Read(new AuditRecordView("a", Start, "drift_evaluation", "{\"kind\":\"drift_evaluation\"}")));
    }

    [Fact]
    public async Task Paging_and_ranges_follow_record_ids_and_times()
    {
        var entries = Enumerable.Range(1, 7).Select(i => MonitoringAuditRecords.Evaluation(Evaluation(i, Start.AddMinutes(i), 1))).ToArray();
        await store.WriteAsync(entries);

        var first = DriftHistory.Read(store.Directory, new HistoryQuery { Limit = 3 });
        Assert.Equal([1L, 2L, 3L], first.Evaluations.Select(p => p.Sequence));
        var second = DriftHistory.Read(store.Directory, new HistoryQuery { Limit = 3, Cursor = first.NextCursor });
        Assert.Equal([4L, 5L, 6L], second.Evaluations.Select(p => p.Sequence));
        var last = DriftHistory.Read(store.Directory, new HistoryQuery { Limit = 3, Cursor = second.NextCursor });
        Assert.Equal([7L], last.Evaluations.Select(p => p.Sequence));
        Assert.Null(last.NextCursor);

        var range = DriftHistory.Read(store.Directory, new HistoryQuery { From = Start.AddMinutes(2), To = Start.AddMinutes(5) });
        Assert.Equal([2L, 3L, 4L], range.Evaluations.Select(p => p.Sequence));
    }
}
