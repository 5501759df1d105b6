namespace ModelMonitor.Inference.Native;

/// <summary>Session options we expose; 0 threads means "let ORT decide" (one per physical core).</summary>
public sealed record OnnxSessionSettings
{
    public int IntraOpThreads { get; init; }

    public int InterOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.Sequential;

    public OrtLogSeverity LogSeverity { get; init; } = OrtLogSeverity.Warning;
}
