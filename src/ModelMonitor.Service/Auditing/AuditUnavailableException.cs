namespace ModelMonitor.Service.Auditing;

/// <summary>The audit store could not record a prediction and the service fails closed.</summary>
internal sealed class AuditUnavailableException(string message, Exception inner) : Exception(message, inner);
