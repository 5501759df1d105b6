namespace ModelMonitor.Inference.Onnx;

/// <summary>How much ONNX Runtime rewrites the graph when it loads a model (ORT's <c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimization
{
    DisableAll,
    Basic,
    Extended,
    All,
}

/// <summary>Whether ONNX Runtime runs a graph's operators one at a time or independent ones at once (ORT's <c>ExecutionMode</c>).</summary>
public enum OperatorExecution
{
    Sequential,
    Parallel,
}

/// <summary>The severity of an ONNX Runtime log line (ORT's <c>OrtLoggingLevel</c>).</summary>
public enum OrtLogSeverity
{
    Verbose,
    Info,
    Warning,
    Error,
    Fatal,
}
