using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;

namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// What the monitor's single writer (<see cref="MonitorCore"/>, driven by <see cref="MonitorLoopService"/>)
/// is asked to do, in arrival order. A command with a reply completes it once its effect is done.
/// </summary>
internal abstract record MonitorCommand
{
    /// <summary>Completes the command's reply, if it has one, with the failure.</summary>
    public virtual void Fail(Exception failure)
    {
    }
}

/// <summary>A command whose sender waits for an answer.</summary>
internal abstract record MonitorQuestion<T>(TaskCompletionSource<T> Reply) : MonitorCommand
{
    public override void Fail(Exception failure) => Reply.TrySetException(failure);
}

/// <summary>Predictions served (already audited): they join the window, and a live reference or score reference being collected.</summary>
internal sealed record ObserveCommand(IReadOnlyList<string?>? Ids, IReadOnlyList<TextFeatureVector> Vectors, DateTimeOffset At) : MonitorCommand;

/// <summary>True labels for predictions; the reply says, per item, whether its prediction is in the window.</summary>
internal sealed record FeedbackCommand(IReadOnlyList<(string PredictionId, int Label)> Items, TaskCompletionSource<FeedbackJoin[]> Reply) : MonitorQuestion<FeedbackJoin[]>(Reply);

/// <summary>Feedback that was stored in the audit trail, for the report's counts.</summary>
internal sealed record FeedbackStoredCommand(DateTimeOffset At, int Stored, int Joined) : MonitorCommand;

/// <summary>Judge the current window now.</summary>
internal sealed record EvaluateCommand(TaskCompletionSource<DriftEvaluation?> Reply) : MonitorQuestion<DriftEvaluation?>(Reply);

/// <summary>Make the window's predictions the reference (null when the window is too small).</summary>
internal sealed record RebaselineCommand(TaskCompletionSource<ReferenceProfile?> Reply) : MonitorQuestion<ReferenceProfile?>(Reply);

/// <summary>
/// A reference scored off the loop becomes current. <paramref name="Inputs"/> go into its audit
/// record (posted texts); <paramref name="ReplicatedAt"/> marks a file re-scored because another
/// replica did so (its record, already in the audit, says when).
/// </summary>
internal sealed record ActivateReferenceCommand(ReferenceProfile Profile, string? Note, bool AtStartup, Calibration? Calibration, ModelMonitor.Monitoring.Reports.ReferenceInputs? Inputs, DateTimeOffset? ReplicatedAt, TaskCompletionSource<ReferenceProfile> Reply) : MonitorQuestion<ReferenceProfile>(Reply);

/// <summary>Once the model is loaded: the reference the audit holds from before the restart becomes current again; the reply says whether there was one.</summary>
internal sealed record AdoptRestoredReferenceCommand(TaskCompletionSource<bool> Reply) : MonitorQuestion<bool>(Reply);

/// <summary>How scoring a reference goes (loading with progress, or failed).</summary>
internal sealed record ReferenceStatusCommand(ReferenceStatus Status) : MonitorCommand;

/// <summary>The labelled baseline set was scored.</summary>
internal sealed record BaselineSetCommand(PerformanceSnapshot Performance, Calibration? Calibration) : MonitorCommand;

/// <summary>A consistent view, after everything queued before it.</summary>
internal sealed record ReadCommand(TaskCompletionSource<MonitorSnapshot> Reply) : MonitorQuestion<MonitorSnapshot>(Reply);

/// <summary>Records other replicas committed (predictions, feedback, evaluations, alerts), oldest first, for this replica's monitor.</summary>
internal sealed record ReplicatedCommand(IReadOnlyList<ModelMonitor.Audit.AuditRecordView> Records) : MonitorCommand;
