namespace ModelMonitor.Service.Logging;

/// <summary>Every log line the service writes, as compile-time <c>[LoggerMessage]</c> definitions.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Model {Name} {Version} loaded from {ModelFile} (sha256 {Sha256}, ONNX Runtime {RuntimeVersion}) in {ElapsedMs:0.0} ms")]
    public static partial void ModelLoaded(ILogger logger, string name, string version, string modelFile, string sha256, string runtimeVersion, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Model {Direction} {Node}")]
    public static partial void ModelNode(ILogger logger, string direction, ModelMonitor.Inference.Onnx.ModelNode node);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Warm-up inference returned {Label} in {ElapsedMs:0.0} ms; ready")]
    public static partial void ModelReady(ILogger logger, string label, double elapsedMs);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Startup done: the managed heap holds {AfterMb:F1} MB after one compacting collection ({BeforeMb:F1} MB before, {PauseMs:F1} ms paused)")]
    public static partial void StartupHeapCompacted(ILogger logger, double beforeMb, double afterMb, double pauseMs);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Runtime: {Framework}, {Collector} GC, latency mode {LatencyMode}, gen0 budget {Gen0Budget} (DOTNET_gcServer and DOTNET_gcConcurrent change the collector; System.GC.Gen0MaxBudget in the runtimeconfig the budget)")]
    public static partial void GarbageCollector(ILogger logger, string framework, string collector, string latencyMode, string gen0Budget);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Inference: {Workers} concurrent call(s) (0: batching off, one per request), {Threads} intra-op thread(s) each (0: ORT's default), {Processors} processor(s)")]
    public static partial void InferenceThreads(ILogger logger, int workers, int threads, int processors);

    [LoggerMessage(EventId = 149, Level = LogLevel.Information, Message = "Thread pool: at least {Minimum} worker threads, {Blocked} of them held by design (batching workers during their calls, the audit writer during fsync)")]
    public static partial void ThreadPoolMinimum(ILogger logger, int minimum, int blocked);

    [LoggerMessage(EventId = 148, Level = LogLevel.Information, Message = "A call that runs alone, with nothing waiting, takes the model's solo session of {Threads} intra-op thread(s) (Batching:SoloCalls)")]
    public static partial void SoloSession(ILogger logger, int threads);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "ONNX Runtime {RuntimeVersion} ({Library}): {IntraOpThreads} intra-op thread(s) per call (0: ORT's default), {InterOpThreads} inter-op (0: ORT's default), {ExecutionMode} execution, graph optimization {OptimizationLevel}, session config entries [{ConfigEntries}]")]
    public static partial void OnnxRuntimeSession(ILogger logger, string runtimeVersion, string library, int intraOpThreads, int interOpThreads, string executionMode, string optimizationLevel, string configEntries);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Model unloading: new inference calls are refused; the ONNX Runtime session is released when the {Running} call(s) running now have finished")]
    public static partial void ModelUnloading(ILogger logger, int running);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "The host's shutdown timeout ran out with {Running} ONNX Runtime call(s) still running: asking ONNX Runtime to stop them")]
    public static partial void ModelCallsStopped(ILogger logger, int running);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "ONNX Runtime session released")]
    public static partial void ModelReleased(ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "{Running} ONNX Runtime call(s) did not stop within {GraceSeconds:0} s of being asked to; the process exits without releasing the session")]
    public static partial void ModelReleaseTimedOut(ILogger logger, int running, double graceSeconds);

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

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Drift reference {State} from {Source}: {Done}/{Total} texts scored")]
    public static partial void ReferenceProgress(ILogger logger, string state, string source, int done, int total);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Drift reference ready from {Source}: {Count} texts, labelled accuracy {Accuracy}, phrase bank {PhraseBank}")]
    public static partial void ReferenceReady(ILogger logger, string source, int count, string accuracy, string phraseBank);

    [LoggerMessage(EventId = 49, Level = LogLevel.Information, Message = "Drift reference restored from the audit trail: the {Source} reference of {Count} texts made at {CreatedAt:O}; the configured file is not scored")]
    public static partial void ReferenceRestored(ILogger logger, string source, int count, DateTimeOffset createdAt);

    [LoggerMessage(EventId = 68, Level = LogLevel.Information, Message = "Score reference ready: confidence, margin and entropy are judged against the first {Count} live predictions after the reference from {Source} ({Origin})")]
    public static partial void ScoreReferenceReady(ILogger logger, int count, string source, string origin);

    [LoggerMessage(EventId = 69, Level = LogLevel.Warning, Message = "Score reference sample of {Count} live predictions discarded: {Features} drifted from the reference, so it does not stand for traffic like the reference; collecting again")]
    public static partial void ScoreReferenceDiscarded(ILogger logger, int count, string features);

    [LoggerMessage(EventId = 59, Level = LogLevel.Warning, Message = "Drift reference from {Source}: {Count} label(s) are not the model's labels ({Labels}; e.g. '{Example}') and were ignored: those texts count for drift but not for the performance baseline")]
    public static partial void ReferenceLabelsIgnored(ILogger logger, string source, int count, string example, string labels);

    [LoggerMessage(EventId = 67, Level = LogLevel.Error, Message = "The monitoring report could not be written to {Path}: {Reason}")]
    public static partial void ReportNotWritten(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 52, Level = LogLevel.Error, Message = "Drift reference from {Source} failed: {Reason}")]
    public static partial void ReferenceFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information, Message = "Drift evaluation {Sequence}: severity {Severity}, diagnosis {Diagnosis}, window {Window} ({Labelled} labelled), drifted [{Drifted}] in {ElapsedMs:0.0} ms")]
    public static partial void Evaluated(ILogger logger, long sequence, string severity, string diagnosis, int window, int labelled, string drifted, double elapsedMs);

    [LoggerMessage(EventId = 54, Level = LogLevel.Debug, Message = "Drift evaluation {Sequence} skipped: {Reason}")]
    public static partial void EvaluationSkipped(ILogger logger, long sequence, string reason);

    [LoggerMessage(EventId = 55, Level = LogLevel.Warning, Message = "Alert {Event}: {Type} {Severity} ({AlertId}): {Summary}")]
    public static partial void AlertChanged(ILogger logger, string @event, string type, string severity, string alertId, string summary);

    [LoggerMessage(EventId = 56, Level = LogLevel.Error, Message = "Drift evaluation failed: {Reason}")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 57, Level = LogLevel.Error, Message = "Could not record drift monitoring in the audit trail: {Reason}")]
    public static partial void MonitoringNotAudited(ILogger logger, string reason);

    [LoggerMessage(EventId = 58, Level = LogLevel.Information, Message = "Drift monitor restored from the audit trail: {Predictions} predictions, {Evaluations} evaluations, {Firing} firing alert(s), {Window} predictions back in the window, in {ElapsedMs:0.0} ms")]
    public static partial void MonitoringRestored(ILogger logger, long predictions, int evaluations, int firing, int window, double elapsedMs);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Alert e-mail {NotificationId} sent to {Recipients} recipient(s) after {Attempts} attempt(s)")]
    public static partial void AlertSent(ILogger logger, string notificationId, int recipients, int attempts);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Alert e-mail {NotificationId} attempt {Attempts} failed, retrying in {BackoffMs:0} ms: {Reason}")]
    public static partial void AlertSendFailed(ILogger logger, string notificationId, int attempts, double backoffMs, string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Error, Message = "Alert e-mail {NotificationId} given up after {Attempts} attempts (kept in the outbox's failed folder): {Reason}")]
    public static partial void AlertGaveUp(ILogger logger, string notificationId, int attempts, string reason);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Alert outbox: {Count} unsent notification(s) restored from {Directory}")]
    public static partial void OutboxRestored(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "Alert outbox file {File} is unreadable and was skipped: {Reason}")]
    public static partial void OutboxUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 66, Level = LogLevel.Error, Message = "Alert e-mail {NotificationId} could not be written to the outbox; it is kept in memory and retried: {Reason}")]
    public static partial void OutboxWriteFailed(ILogger logger, string notificationId, string reason);

    [LoggerMessage(EventId = 65, Level = LogLevel.Error, Message = "Alert e-mail {NotificationId} was sent but its delivery could not be audited: {Reason}")]
    public static partial void AlertDeliveryNotAudited(ILogger logger, string notificationId, string reason);

    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "No API key is configured (Security:AdminApiKey, FeedbackApiKey, AuditApiKey): the audit trail, raw input texts included, is readable by anyone who can reach the service (GET /audit). Set Security:AuditApiKey or Security:AdminApiKey to require a key.")]
    public static partial void AuditReadableByAnyone(ILogger logger);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "{Count} repeated {Status} {Method} {Path} warnings were aggregated into one audit record")]
    public static partial void WarningsAggregated(ILogger logger, long count, int status, string method, string path);
}
