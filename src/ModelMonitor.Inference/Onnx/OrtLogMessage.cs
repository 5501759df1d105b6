namespace ModelMonitor.Inference.Onnx;

/// <summary>A log line emitted by ONNX Runtime.</summary>
public readonly record struct OrtLogMessage(OrtLogSeverity Severity, string Category, string LogId, string CodeLocation, string Message);
