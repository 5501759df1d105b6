using ModelMonitor.Inference.Native;

namespace ModelMonitor.Service.Options;

/// <summary>ONNX Runtime session settings (section <c>OnnxRuntime</c>).</summary>
public sealed class OnnxRuntimeOptions
{
    public const string Section = "OnnxRuntime";

    /// <summary>Threads inside one operator; 0 lets ORT use one per physical core.</summary>
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

    internal OnnxSessionSettings ToSessionSettings() => new()
    {
        IntraOpThreads = IntraOpThreads,
        InterOpThreads = InterOpThreads,
        OptimizationLevel = GraphOptimizationLevel,
        ExecutionMode = ExecutionMode,
        LogSeverity = LogSeverity,
        AllowSpinning = AllowSpinning,
        ConfigEntries = ConfigEntries,
    };
}
