namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// Receives, oldest first, what an audit replay finds for the window: each prediction record (as
/// its JSON, parsed only if kept: a window holds the latest few of possibly millions) and each
/// feedback label.
/// </summary>
public interface IReplayWindow
{
    void Prediction(string id, DateTimeOffset at, string recordJson);

    void Feedback(string predictionId, int label);
}
