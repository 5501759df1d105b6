using Microsoft.ML.OnnxRuntime;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// The process-wide ORT environment (<c>OrtEnv</c>, one per process). We create it before any
/// session, with a logging function, so ORT's log lines go through <see cref="LogSink"/>, which
/// the host points at its logger.
/// </summary>
public static class OnnxRuntimeEnvironment
{
    private const string LogId = "modelmonitor";
    private static readonly Lock Gate = new();
    private static volatile Action<OrtLogMessage>? sink;

    /// <summary>Where ORT's log lines go; null drops them. May be replaced at any time.</summary>
    public static Action<OrtLogMessage>? LogSink
    {
        get => sink;
        set => sink = value;
    }

    /// <summary>The ONNX Runtime library version, as the loaded library reports it.</summary>
    public static string RuntimeVersion => GetOrCreate().GetVersionString();

    /// <summary>
    /// Whether ORT's log lines reach <see cref="LogSink"/>: false when something else created the
    /// environment first, without our logging function.
    /// </summary>
    public static bool LogsForwarded { get; private set; }

    /// <summary>
    /// Returns the environment, creating it on first use. <paramref name="minimumSeverity"/> is the
    /// environment's default; a session may ask for more (its own log severity).
    /// </summary>
    internal static OrtEnv GetOrCreate(OrtLogSeverity minimumSeverity = OrtLogSeverity.Warning, SharedPoolRequest? sharedPool = null)
    {
        lock (Gate)
        {
            if (!OrtEnv.IsCreated)
            {
                OnnxRuntimeLibrary.ApplyEnvironmentVariable();

                // The shared pool can only be made with the environment, so the first session decides
                // whether the process has one; idle, its threads sleep.
                var threads = sharedPool is null ? 0 : sharedPool.Threads > 0 ? sharedPool.Threads : Environment.ProcessorCount;
                using var threading = sharedPool is null ? null : new OrtThreadingOptions
                {
                    GlobalIntraOpNumThreads = threads,
                    GlobalInterOpNumThreads = 1,
                    GlobalSpinControl = sharedPool.AllowSpinning,
                };
                var options = new EnvironmentCreationOptions
                {
                    logId = LogId,
                    logLevel = ToOrt(minimumSeverity),
                    loggingFunction = OnLog,
                    threadOptions = threading,
                };
                LogsForwarded = true;
                SharedPoolThreads = threads;
                return OrtEnv.CreateInstanceWithOptions(ref options);
            }

            if (sharedPool is not null && SharedPoolThreads == 0)
            {
                throw new InvalidOperationException("A session asked for the shared ONNX Runtime thread pool, but this process's ORT environment was created without one (the pool can only be made with the environment, by the process's first session).");
            }

            return OrtEnv.Instance();
        }
    }

    /// <summary>The threads of the process's shared ORT thread pool; 0 when it has none.</summary>
    public static int SharedPoolThreads { get; private set; }

    internal static OrtLoggingLevel ToOrt(OrtLogSeverity severity) => severity switch
    {
        OrtLogSeverity.Verbose => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        OrtLogSeverity.Info => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        OrtLogSeverity.Warning => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        OrtLogSeverity.Error => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        _ => OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
    };

    private static OrtLogSeverity FromOrt(OrtLoggingLevel level) => level switch
    {
        OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => OrtLogSeverity.Verbose,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => OrtLogSeverity.Info,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => OrtLogSeverity.Warning,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => OrtLogSeverity.Error,
        _ => OrtLogSeverity.Fatal,
    };

    private static void OnLog(nint param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        // Called from native code: an exception must never travel back into it.
        try
        {
            sink?.Invoke(new OrtLogMessage(FromOrt(severity), category ?? string.Empty, logId ?? string.Empty, codeLocation ?? string.Empty, message ?? string.Empty));
        }
#pragma warning disable CA1031 // a logging failure must not take the process down
        catch
#pragma warning restore CA1031
        {
        }
    }
}
