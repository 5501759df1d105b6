using ModelMonitor.Inference.Native;

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

    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.All;

    public ExecutionMode ExecutionMode { get; set; } = ExecutionMode.Sequential;

    /// <summary>The least severe ORT log line forwarded to our log.</summary>
    public OrtLogSeverity LogSeverity { get; set; } = OrtLogSeverity.Warning;

    /// <summary>Let ORT's intra-op threads spin between operators (ORT's own default is on); off leaves the cores to Kestrel and the audit writer.</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Further ORT session configuration entries, passed through AddSessionConfigEntry.</summary>
    public Dictionary<string, string> ConfigEntries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Another libonnxruntime.so.1 to load instead of the one the build placed beside the binaries.</summary>
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
