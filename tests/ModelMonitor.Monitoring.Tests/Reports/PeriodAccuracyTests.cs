using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Monitoring.Tests.Reports;

/// <summary>Issue 14, item 8: the report's period accuracy is over the period's labelled predictions, not a mean of overlapping windows.</summary>
public class PeriodAccuracyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_labelled_prediction_counts_once_with_its_latest_label()
    {
        var builder = new ReportBuilder();
        for (var i = 0; i < 100; i++)
        {
            builder.AddLabel($"p{i}", i < 80);
        }

        // Relabelled: p0 was right, now wrong; overlapping windows judged p0..p99 many times over.
        builder.AddLabel("p0", false);
        builder.AddEvaluation(new EvaluationSummary(1, Start, false, 100, 100, Severity.None, "none", 0.99, 0.99, [], []));
        builder.AddEvaluation(new EvaluationSummary(2, Start, false, 100, 100, Severity.None, "none", 0.99, 0.99, [], []));
        var performance = builder.Build(Start).Performance;

        Assert.Equal(100, performance.LabelledPredictions);
        Assert.Equal(0.79, performance.Accuracy!.Value, 12);
        Assert.True(performance.AccuracyLow < 0.79 && performance.AccuracyHigh > 0.79);
        Assert.Equal(0.99, performance.AccuracyMean!.Value, 12);
    }

    [Fact]
    public void Without_labels_the_period_accuracy_is_absent()
    {
        var performance = new ReportBuilder().Build(Start).Performance;
        Assert.Equal(0, performance.LabelledPredictions);
        Assert.Null(performance.Accuracy);
    }
}
