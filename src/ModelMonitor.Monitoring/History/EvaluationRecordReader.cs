using System.Globalization;
using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Monitoring.History;

/// <summary>
/// Reads a <c>drift_evaluation</c> audit record (see <see cref="MonitoringAuditRecords.Evaluation"/>)
/// into a <see cref="HistoryPoint"/>. Tolerant: a record written before the window, performance or
/// histogram fields existed reads with those left null, so history reaches back over old stores.
/// </summary>
public static class EvaluationRecordReader
{
    /// <summary>The point, or null when the record has no readable summary (damaged or not an evaluation).</summary>
    public static HistoryPoint? Read(AuditRecordView record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            using var document = JsonDocument.Parse(record.Json);
            return Read(record.Id, document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static HistoryPoint? Read(string id, JsonElement root)
    {
        if (!root.TryGetProperty("summary", out var summaryElement)
            || summaryElement.Deserialize(MonitoringJsonContext.Default.EvaluationSummary) is not { } summary)
        {
            return null;
        }

        var window = Object(root, "window");
        return new HistoryPoint(
            id,
            summary.Sequence,
            summary.At,
            summary.Skipped,
            Text(root, "skipped_reason"),
            summary.Severity,
            summary.Diagnosis,
            summary.Window,
            summary.Labelled,
            window is { } w ? Time(w, "from") : null,
            window is { } w2 ? Time(w2, "to") : null,
            Integer(root, "reference_count") is { } reference ? (int)reference : null,
            summary.DriftedFeatures,
            summary.BreachTypes,
            Performance(root, summary),
            root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array
                ? [.. features.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object).Select(Feature)]
                : [],
            Object(root, "label_mix") is { } mix ? Feature(mix) : null);
    }

    private static HistoryPerformance? Performance(JsonElement root, EvaluationSummary summary)
    {
        var performance = Object(root, "performance");
        if (performance is null && summary.Accuracy is null && summary.F1Macro is null)
        {
            return null;
        }

        JsonElement? accuracy = null, f1 = null;
        if (root.TryGetProperty("performance_tests", out var tests) && tests.ValueKind == JsonValueKind.Array)
        {
            foreach (var test in tests.EnumerateArray())
            {
                // The judged F1 is named for its average ("f1_present": macro over the classes present).
                var metric = Text(test, "metric") ?? "";
                if (metric == "accuracy")
                {
                    accuracy = test;
                }
                else if (metric.StartsWith("f1", StringComparison.Ordinal))
                {
                    f1 = test;
                }
            }
        }

        var baseline = Object(root, "baseline");
        return new HistoryPerformance(
            performance is { } p ? Integer(p, "labelled") : null,
            (performance is { } pa ? Number(pa, "accuracy") : null) ?? summary.Accuracy,
            accuracy is { } a ? Number(a, "low") : null,
            accuracy is { } a2 ? Number(a2, "high") : null,
            performance is { } pp ? Number(pp, "precision_macro") : null,
            performance is { } pr ? Number(pr, "recall_macro") : null,
            (performance is { } pf ? Number(pf, "f1_macro") : null) ?? summary.F1Macro,
            f1 is { } f ? Number(f, "value") : performance is { } pj ? Number(pj, "f1_present") : null,
            f1 is { } f2 ? Number(f2, "low") : null,
            f1 is { } f3 ? Number(f3, "high") : null,
            (accuracy ?? f1) is { } c ? Number(c, "confidence") : null,
            baseline is { } b ? Number(b, "accuracy") : null,
            baseline is { } b2 ? Number(b2, "f1") : null);
    }

    private static HistoryFeature Feature(JsonElement f)
    {
        var name = Text(f, "feature") ?? "";
        return new HistoryFeature(
            name,
            FeatureNames.IsInput(name) ? "input" : name == DriftEvaluator.TrueLabelMix ? "labels" : "output",
            FeatureNames.Categorical.Contains(name) || name == DriftEvaluator.TrueLabelMix ? "categorical" : "numeric",
            Text(f, "test"),
            Number(f, "statistic"),
            Number(f, "p_value"),
            Number(f, "adjusted_p_value"),
            Text(f, "effect_measure"),
            Number(f, "effect_size"),
            Text(f, "verdict") ?? "stable",
            Integer(f, "reference_count"),
            Integer(f, "current_count"),
            Object(f, "histogram") is { } h ? Histogram(h) : null);
    }

    private static HistoryHistogram? Histogram(JsonElement h)
    {
        var reference = Numbers(h, "reference");
        var current = Numbers(h, "current");
        if (reference.Length == 0 || reference.Length != current.Length)
        {
            return null;
        }

        var categories = h.TryGetProperty("categories", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString()! : n.GetRawText()).ToArray()
            : [];
        return new HistoryHistogram(Numbers(h, "edges"), categories, reference, current, Number(h, "low"), Number(h, "high"));
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement parent, string name) =>
        Text(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static long? Integer(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    /// <summary>A number, or the names the records use for non-finite values ("NaN", "Infinity", "-Infinity").</summary>
    private static double? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? Number(value) : null;

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };

    private static double[] Numbers(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array
            ? [.. values.EnumerateArray().Select(v => Number(v) ?? double.NaN)]
            : [];
}
