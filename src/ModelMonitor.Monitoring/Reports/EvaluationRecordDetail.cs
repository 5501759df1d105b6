using System.Globalization;
using System.Text.Json;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// The parts of a <c>drift_evaluation</c> record that plots need, beyond the summary the report
/// reads: the window and reference sizes, performance with its confidence intervals, and per
/// feature its significance test and the reference and current counts per bin. Each field is
/// optional to readers, so records written before they existed still read (see
/// <see cref="History.EvaluationRecordReader"/>). Kept small: counts are integers, and bin edges
/// are rounded to 6 significant digits (they only place bars on an axis).
/// </summary>
internal static class EvaluationRecordDetail
{
    public static void WriteWindow(Utf8JsonWriter json, DriftEvaluation evaluation)
    {
        json.WriteStartObject("window");
        json.WriteNumber("count", evaluation.Window.Count);
        json.WriteNumber("labelled", evaluation.Window.Labelled);
        if (evaluation.Window.From is { } from)
        {
            json.WriteString("from", from);
        }

        if (evaluation.Window.To is { } to)
        {
            json.WriteString("to", to);
        }

        json.WriteEndObject();
        json.WriteNumber("reference_count", evaluation.ReferenceCount);
    }

    /// <summary>
    /// The feature's significance test and sizes, and its histogram (inside the feature's object).
    /// Its group and kind follow from its name, so the reader supplies them.
    /// </summary>
    public static void WriteFeatureDetail(Utf8JsonWriter json, FeatureDriftResult feature)
    {
        if (feature.Tests.FirstOrDefault(t => t.PValue is not null) is { } test)
        {
            json.WriteString("test", test.Test);
            Number(json, "statistic", test.Statistic);
        }

        json.WriteNumber("reference_count", feature.ReferenceCount);
        json.WriteNumber("current_count", feature.CurrentCount);
        if (feature.Histogram is { } histogram)
        {
            json.WriteStartObject("histogram");
            if (histogram.Categories.Count > 0)
            {
                json.WriteStartArray("categories");
                foreach (var category in histogram.Categories)
                {
                    json.WriteStringValue(category);
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteStartArray("edges");
                foreach (var edge in histogram.Edges)
                {
                    json.WriteNumberValue(Round(edge));
                }

                json.WriteEndArray();
                if (histogram.Low is { } low && histogram.High is { } high)
                {
                    json.WriteNumber("low", Round(low));
                    json.WriteNumber("high", Round(high));
                }
            }

            Counts(json, "reference", histogram.Reference);
            Counts(json, "current", histogram.Current);
            json.WriteEndObject();
        }
    }

    /// <summary>The window's performance, its judged accuracy and F1 with confidence intervals, and the baseline.</summary>
    public static void WritePerformance(Utf8JsonWriter json, DriftEvaluation evaluation)
    {
        if (evaluation.Performance is { } p)
        {
            json.WriteStartObject("performance");
            json.WriteNumber("labelled", p.Labelled);
            Number(json, "accuracy", p.Accuracy);
            Number(json, "precision_macro", p.PrecisionMacro);
            Number(json, "recall_macro", p.RecallMacro);
            Number(json, "f1_macro", p.F1Macro);
            Number(json, "f1_present", p.F1Present);
            Number(json, "precision_weighted", p.PrecisionWeighted);
            Number(json, "recall_weighted", p.RecallWeighted);
            Number(json, "f1_weighted", p.F1Weighted);
            json.WriteEndObject();
        }

        if (evaluation.Judgement is { } judgement)
        {
            json.WriteStartArray("performance_tests");
            foreach (var metric in new[] { judgement.Accuracy, judgement.F1 })
            {
                json.WriteStartObject();
                json.WriteString("metric", metric.Metric);
                Number(json, "value", metric.Value);
                Number(json, "low", metric.Low);
                Number(json, "high", metric.High);
                Number(json, "confidence", judgement.Confidence);
                if (metric.PValue is { } pValue)
                {
                    Number(json, "p_value", pValue);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartObject("baseline");
        if (evaluation.Baseline.Accuracy is { } accuracy)
        {
            Number(json, "accuracy", accuracy);
        }

        if (evaluation.Baseline.F1 is { } f1)
        {
            Number(json, "f1", f1);
        }

        json.WriteString("source", evaluation.Baseline.Source);
        json.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter json, string name, IReadOnlyList<double> counts)
    {
        json.WriteStartArray(name);
        foreach (var count in counts)
        {
            if (count == Math.Floor(count) && Math.Abs(count) < long.MaxValue)
            {
                json.WriteNumberValue((long)count);
            }
            else
            {
                json.WriteNumberValue(count);
            }
        }

        json.WriteEndArray();
    }

    private static double Round(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
