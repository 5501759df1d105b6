using ModelMonitor.Inference.Onnx;

namespace ModelMonitor.Service.Logging;

/// <summary>Routes ONNX Runtime's own log lines into our logger, at the matching level.</summary>
internal static class OrtLogBridge
{
    public static void Connect(ILogger logger)
    {
        OnnxRuntimeEnvironment.LogSink = message =>
        {
            var level = ToLevel(message.Severity);
            if (logger.IsEnabled(level))
            {
                Log.OnnxRuntime(logger, level, message.Category, message.Message, message.CodeLocation);
            }
        };
    }

    internal static LogLevel ToLevel(OrtLogSeverity severity) => severity switch
    {
        OrtLogSeverity.Verbose => LogLevel.Debug,
        OrtLogSeverity.Info => LogLevel.Information,
        OrtLogSeverity.Warning => LogLevel.Warning,
        OrtLogSeverity.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };
}
