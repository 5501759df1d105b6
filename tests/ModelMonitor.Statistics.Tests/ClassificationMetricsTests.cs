using ModelMonitor.Statistics.Tests.Golden;

namespace ModelMonitor.Statistics.Tests;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Accuracy_per_class_scores_averages_and_confusion_match_sklearn()
    {
        foreach (var c in GoldenSamples.Cases("classification"))
        {
            var truth = c.GetProperty("y_true").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var predicted = c.GetProperty("y_pred").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var labels = c.GetProperty("labels").GetArrayLength();
            var report = ClassificationMetrics.Compute(truth, predicted, labels);

            Close(c.GetProperty("accuracy").GetDouble(), report.Accuracy);
            var precision = GoldenSamples.Doubles(c.GetProperty("precision"));
            var recall = GoldenSamples.Doubles(c.GetProperty("recall"));
            var f1 = GoldenSamples.Doubles(c.GetProperty("f1"));
            var support = GoldenSamples.Doubles(c.GetProperty("support"));
            for (var k = 0; k < labels; k++)
            {
                Close(precision[k], report.PerClass[k].Precision);
                Close(recall[k], report.PerClass[k].Recall);
                Close(f1[k], report.PerClass[k].F1);
                Assert.Equal(support[k], report.PerClass[k].Support);
            }

            var macro = GoldenSamples.Doubles(c.GetProperty("macro"));
            Close(macro[0], report.Macro.Precision);
            Close(macro[1], report.Macro.Recall);
            Close(macro[2], report.Macro.F1);
            var weighted = GoldenSamples.Doubles(c.GetProperty("weighted"));
            Close(weighted[0], report.Weighted.Precision);
            Close(weighted[1], report.Weighted.Recall);
            Close(weighted[2], report.Weighted.F1);

            var confusion = c.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray();
            for (var i = 0; i < labels; i++)
            {
                for (var j = 0; j < labels; j++)
                {
                    Assert.Equal(confusion[i][j], report.Confusion[i, j]);
                }
            }
        }
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_not_nan()
    {
        var report = ClassificationMetrics.Compute([0, 1, 1], [0, 0, 0], 2);
        Assert.Equal(0, report.PerClass[1].Precision);
        Assert.Equal(0, report.PerClass[1].F1);
    }

    [Fact]
    public void Mismatched_lengths_and_empty_input_are_rejected()
    {
        Assert.Throws<StatisticsInputException>(() => ClassificationMetrics.Compute([0, 1], [0], 2));
        Assert.Throws<StatisticsInputException>(() => ClassificationMetrics.Compute([], [], 2));
    }

    private static void Close(double expected, double actual) =>
        Assert.True(Tolerance.Close(expected, actual, Tolerance.Statistic), Tolerance.Report("metric", expected, actual));
}
