namespace ModelMonitor.Inference.Native;

/// <summary>Session options we expose; 0 threads means "let ORT decide" (one per physical core).</summary>
public sealed record OnnxSessionSettings
{
    public int IntraOpThreads { get; init; }

    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    public OrtLogSeverity LogSeverity { get; init; } = OrtLogSeverity.Warning;

    /// <summary>
    /// Whether ORT's intra-op threads spin while waiting for work (ORT's default). Spinning wins a
    /// little latency on an idle machine and burns cores a busy server needs for everything else.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Further session configuration entries (AddSessionConfigEntry), e.g. "session.intra_op.allow_spinning".</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();
}
