namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// Receives, oldest first, what an audit replay finds for the window: each prediction record (as
/// its JSON, parsed only if kept: a window holds the latest few of possibly millions) and each
/// feedback label, and each live score reference.
/// </summary>
public interface IReplayWindow
{
    void Prediction(string id, DateTimeOffset at, string recordJson);

    void Feedback(string predictionId, int label);

    /// <summary>A live score reference record (<see cref="MonitoringAuditRecords.ScoreReference"/>), as its JSON.</summary>
    void ScoreReference(DateTimeOffset at, string recordJson);

    /// <summary>A performance estimator's calibration record, as its JSON (a restart reuses the same map).</summary>
    void Calibration(string recordJson)
    {
    }

    /// <summary>A drift evaluation record, as its JSON (a restart shows the latest one whole).</summary>
    void Evaluation(long sequence, string recordJson)
    {
    }

    /// <summary>A reference record (<see cref="MonitoringAuditRecords.ReferenceKind"/>), as its JSON (a restart keeps an admin's reference).</summary>
    void Reference(DateTimeOffset at, string recordJson)
    {
    }
}
