namespace ModelMonitor.Service.Logging;

/// <summary>The drift monitor's log lines added for issue 14 (event ids 140-159).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Baseline set {Path} scored: accuracy {Accuracy:F4}, macro F1 {F1:F4} on {Labelled} labelled texts")]
    public static partial void BaselineSetReady(ILogger logger, string path, long labelled, double accuracy, double f1);

    [LoggerMessage(EventId = 141, Level = LogLevel.Error, Message = "Baseline set {Path} could not be used: {Reason}")]
    public static partial void BaselineSetFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "Alert e-mail {NotificationId} (alert {AlertId}) was committed in the audit trail but never delivered nor in the outbox; queued again")]
    public static partial void OutboxRecovered(ILogger logger, string notificationId, string alertId);

    [LoggerMessage(EventId = 143, Level = LogLevel.Error, Message = "The drift monitor failed on {Command}: {Reason}")]
    public static partial void MonitorCommandFailed(ILogger logger, Exception exception, string command, string reason);

    [LoggerMessage(EventId = 144, Level = LogLevel.Warning, Message = "Performance estimation off for {Source}: {Labelled} labelled texts the model knows, at least {Needed} needed (Drift:MinCalibrationLabels)")]
    public static partial void CalibrationSkipped(ILogger logger, string source, int labelled, int needed);

    [LoggerMessage(EventId = 145, Level = LogLevel.Error, Message = "Performance estimator could not be calibrated on {Source}: {Reason}")]
    public static partial void CalibrationFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 146, Level = LogLevel.Information, Message = "Performance estimator calibrated on {Labelled} labelled texts of {Source} ({Method}): expected calibration error {EceBefore:F4} before, {EceAfter:F4} after")]
    public static partial void CalibrationReady(ILogger logger, string source, int labelled, string method, double eceBefore, double eceAfter);

    [LoggerMessage(EventId = 147, Level = LogLevel.Warning, Message = "Performance estimator: {Warning}")]
    public static partial void CalibrationLooksLikeTraining(ILogger logger, string warning);
}
