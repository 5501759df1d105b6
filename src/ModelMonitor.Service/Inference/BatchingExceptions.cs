namespace ModelMonitor.Service.Inference;

/// <summary>The inference queue is full: the client should retry later (429).</summary>
internal sealed class QueueFullException(int queued, int limit)
    : Exception($"The inference queue holds {queued} texts; the limit is {limit} (Batching:MaxQueuedTexts). Retry shortly.");

/// <summary>The request's deadline passed while it waited for a batch (503).</summary>
internal sealed class DeadlineExceededException(double waitedMs)
    : Exception($"The request waited {waitedMs:F0} ms for inference and passed its deadline (Batching:RequestTimeoutMs).");

/// <summary>The service is stopping: the request's texts were not (all) classified (503).</summary>
internal sealed class ServiceStoppingException()
    : Exception("The service is stopping; the request was not classified. Retry against a running instance.");
