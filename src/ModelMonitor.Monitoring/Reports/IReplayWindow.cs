using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>Receives, oldest first, what an audit replay finds for the window: predictions with their features, and feedback labels.</summary>
public interface IReplayWindow
{
    void Prediction(string id, DateTimeOffset at, TextFeatureVector features);

    void Feedback(string predictionId, int label);
}
