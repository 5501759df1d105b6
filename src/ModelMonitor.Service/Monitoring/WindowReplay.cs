using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Collects the latest predictions (up to the window's size) and their feedback from an audit
/// replay, then puts them back into the live window, so a restart does not empty it; and keeps
/// the latest live score reference.
/// </summary>
internal sealed class WindowReplay(int capacity) : IReplayWindow
{
    private readonly Queue<(string Id, DateTimeOffset At, string Json)> latest = new();
    private readonly Dictionary<string, int> labels = new(StringComparer.Ordinal);

    public void Prediction(string id, DateTimeOffset at, string recordJson)
    {
        latest.Enqueue((id, at, recordJson));
        while (latest.Count > capacity)
        {
            latest.Dequeue();
        }
    }

    public void Feedback(string predictionId, int label) => labels[predictionId] = label;

    /// <summary>The latest score reference record (an empty one marks a reset), or null.</summary>
    public (DateTimeOffset At, string Json)? LatestScoreReference { get; private set; }

    public void ScoreReference(DateTimeOffset at, string recordJson) => LatestScoreReference = (at, recordJson);

    /// <summary>The latest calibration record of each labelled set, by its source.</summary>
    public Dictionary<string, (Calibration Calibration, string ModelSha256)> Calibrations { get; } = new(StringComparer.Ordinal);

    public void Calibration(string recordJson)
    {
        if (Monitoring.Calibration.Read(recordJson) is { } read)
        {
            Calibrations[read.Calibration.Source] = read;
        }
    }

    /// <summary>The latest reference record, or null.</summary>
    public (DateTimeOffset At, string Json)? LatestReference { get; private set; }

    public void Reference(DateTimeOffset at, string recordJson) => LatestReference = (at, recordJson);

    /// <summary>The record of the evaluation with the highest sequence, or null.</summary>
    public (long Sequence, string Json)? LatestEvaluation { get; private set; }

    public void Evaluation(long sequence, string recordJson)
    {
        if (LatestEvaluation is not { } kept || sequence > kept.Sequence)
        {
            LatestEvaluation = (sequence, recordJson);
        }
    }

    public void Fill(LiveWindow window)
    {
        foreach (var (id, at, json) in latest)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            if (MonitoringAuditRecords.ReadFeatures(document.RootElement) is not { } features)
            {
                continue; // written before predictions carried their features
            }

            window.Add([id], [features], at);
            if (labels.TryGetValue(id, out var label))
            {
                window.Join(id, label);
            }
        }
    }
}
