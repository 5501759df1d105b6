namespace ModelMonitor.Service.Logging;

/// <summary>Every log line the service writes, as compile-time <c>[LoggerMessage]</c> definitions.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Model {Name} {Version} loaded from {ModelFile} (sha256 {Sha256}, ONNX Runtime {RuntimeVersion}) in {ElapsedMs:0.0} ms")]
    public static partial void ModelLoaded(ILogger logger, string name, string version, string modelFile, string sha256, string runtimeVersion, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Model {Direction} {Node}")]
    public static partial void ModelNode(ILogger logger, string direction, ModelMonitor.Inference.Native.NodeMetadata node);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Warm-up inference returned {Label} in {ElapsedMs:0.0} ms; ready")]
    public static partial void ModelReady(ILogger logger, string label, double elapsedMs);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.000} ms [{RequestId}]")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int statusCode, double elapsedMs, string requestId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} with {StatusCode}: {Detail} [{RequestId}]")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int statusCode, string detail, string requestId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path} [{RequestId}]")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path, string requestId);

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "ModelMonitor cannot start: {Reason}")]
    public static partial void StartupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 40, Level = LogLevel.Critical, Message = "AUDIT FAILURE (fail-open): served {Count} UNAUDITED prediction(s) for request {RequestId}: {Reason}")]
    public static partial void UnauditedPrediction(ILogger logger, int count, string requestId, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Could not record the error response of request {RequestId} in the audit trail: {Reason}")]
    public static partial void AuditProblemNotRecorded(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = 42, Message = "Audit store: {Message}")]
    public static partial void AuditNotice(ILogger logger, LogLevel level, Exception? exception, string message);

    [LoggerMessage(EventId = 30, Message = "[onnxruntime {Category}] {Message} ({CodeLocation})")]
    public static partial void OnnxRuntime(ILogger logger, LogLevel level, string category, string message, string codeLocation);
}
