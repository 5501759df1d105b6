using ModelMonitor.Inference.Onnx;

namespace ModelMonitor.Service.Options;

/// <summary>ONNX Runtime session settings (section <c>OnnxRuntime</c>).</summary>
public sealed class OnnxRuntimeOptions
{
    public const string Section = "OnnxRuntime";

    /// <summary>
    /// Threads inside one operator, per session. 0 (default): the machine's cores shared among the
    /// batcher's concurrent calls (<c>Batching:Workers</c>), at least one each; with batching off,
    /// ORT's own default of one per physical core.
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across operators (used in Parallel execution mode); 0 lets ORT decide.</summary>
    public int InterOpThreads { get; set; } = 1;

    public GraphOptimization GraphOptimizationLevel { get; set; } = GraphOptimization.All;

    public OperatorExecution ExecutionMode { get; set; } = OperatorExecution.Sequential;

    /// <summary>The least severe ORT log line forwarded to our log.</summary>
    public OrtLogSeverity LogSeverity { get; set; } = OrtLogSeverity.Warning;

    /// <summary>
    /// Let ORT's intra-op threads spin between operators (ORT's own default is on); off leaves the
    /// cores to Kestrel and the audit writer. Written as the session entry
    /// <c>session.intra_op.allow_spinning</c>, unless <see cref="ConfigEntries"/> sets that entry itself.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Further ORT session configuration entries, passed through AddSessionConfigEntry.</summary>
    public Dictionary<string, string> ConfigEntries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Another libonnxruntime.so to load instead of the one the Microsoft.ML.OnnxRuntime package
    /// placed beside the binaries (runtimes/linux-x64/native/); it must serve the package's C API version.
    /// </summary>
    public string? LibraryPath { get; set; }

    /// <summary>
    /// The intra-op threads to ask ORT for when <paramref name="concurrentCalls"/> calls run at once
    /// (null: ORT's default). A lone call on a tiny or mid-sized model gains little from a second
    /// thread, since every operator then waits for both; two single-threaded calls keep both cores
    /// busy (measured in the README's throughput section).
    /// </summary>
    internal int EffectiveIntraOpThreads(int? concurrentCalls, int processorCount) =>
        IntraOpThreads > 0 ? IntraOpThreads
        : concurrentCalls is { } calls ? Math.Max(1, processorCount / calls)
        : 0;

    internal OnnxSessionSettings ToSessionSettings(int intraOpThreads) => new()
    {
        IntraOpThreads = intraOpThreads,
        InterOpThreads = InterOpThreads,
        OptimizationLevel = GraphOptimizationLevel,
        ExecutionMode = ExecutionMode,
        LogSeverity = LogSeverity,
        AllowSpinning = AllowSpinning,
        ConfigEntries = ConfigEntries,
    };
}
