using System.Text.Json;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Service.Contracts;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// The evaluation as <c>/drift</c> shows it, kept inside its <c>drift_evaluation</c> record. The record's
/// summary is enough for the report; the view is what lets another replica, or this one after a
/// restart, answer <c>/drift</c> with the same features, tests, breaches and performance the
/// evaluating replica showed.
/// </summary>
internal static class EvaluationViewRecord
{
    public static Action<Utf8JsonWriter> Writer(DriftEvaluation evaluation) =>
        json => JsonSerializer.Serialize(json, DriftViews.Evaluation(evaluation), ServiceJsonContext.Default.EvaluationView);

    /// <summary>The view in a record's JSON, or null when the record has none (written before views were kept) or it does not read.</summary>
    public static EvaluationView? Read(JsonElement record)
    {
        if (!record.TryGetProperty("view", out var view) || view.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return view.Deserialize(ServiceJsonContext.Default.EvaluationView);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static EvaluationView? Read(string recordJson)
    {
        using var document = JsonDocument.Parse(recordJson);
        return Read(document.RootElement);
    }
}
