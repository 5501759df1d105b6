using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Collects the latest predictions (up to the window's size) and their feedback from an audit
/// replay, then puts them back into the live window, so a restart does not empty it.
/// </summary>
internal sealed class WindowReplay(int capacity) : IReplayWindow
{
    private readonly Queue<(string Id, DateTimeOffset At, TextFeatureVector Features)> latest = new();
    private readonly Dictionary<string, int> labels = new(StringComparer.Ordinal);

    public void Prediction(string id, DateTimeOffset at, TextFeatureVector features)
    {
        latest.Enqueue((id, at, features));
        while (latest.Count > capacity)
        {
            latest.Dequeue();
        }
    }

    public void Feedback(string predictionId, int label) => labels[predictionId] = label;

    public void Fill(LiveWindow window)
    {
        foreach (var (id, at, features) in latest)
        {
            window.Add([id], [features], at);
            if (labels.TryGetValue(id, out var label))
            {
                window.Join(id, label);
            }
        }
    }
}
