using System.Runtime.InteropServices;
using System.Text;

namespace ModelMonitor.Inference.Native;

/// <summary>A log line emitted by ONNX Runtime.</summary>
public readonly record struct OrtLogMessage(OrtLogSeverity Severity, string Category, string LogId, string CodeLocation, string Message);

/// <summary>
/// The process-wide ORT environment. ORT allows one <c>OrtEnv</c> per process, so this is a singleton;
/// its log output goes through <see cref="LogSink"/>, which the host points at its logger.
/// </summary>
public sealed unsafe class OrtEnvironment
{
    private static readonly Lock Gate = new();
    private static OrtEnvironment? instance;
    private static volatile Action<OrtLogMessage>? sink;

    private OrtEnvironment(OrtEnvHandle handle, OrtLogSeverity minimumSeverity)
    {
        Handle = handle;
        MinimumSeverity = minimumSeverity;
    }

    /// <summary>Where ORT's log lines go; null drops them. May be replaced at any time.</summary>
    public static Action<OrtLogMessage>? LogSink
    {
        get => sink;
        set => sink = value;
    }

    /// <summary>The ONNX Runtime library version, as ORT reports it.</summary>
    public static string RuntimeVersion => OrtApi.Instance.Version;

    /// <summary>The least severe ORT message forwarded, fixed when the environment is created.</summary>
    public OrtLogSeverity MinimumSeverity { get; }

    internal OrtEnvHandle Handle { get; }

    /// <summary>Returns the environment, creating it on first use with the given minimum severity.</summary>
    public static OrtEnvironment GetOrCreate(OrtLogSeverity minimumSeverity = OrtLogSeverity.Warning)
    {
        lock (Gate)
        {
            if (instance is not null)
            {
                return instance;
            }

            var api = OrtApi.Instance;
            nint env;
            var logId = Encoding.UTF8.GetBytes("modelmonitor\0");
            fixed (byte* logIdPointer = logId)
            {
                api.Check(api.CreateEnvWithCustomLogger(&OnLog, 0, minimumSeverity, logIdPointer, &env));
            }

            instance = new OrtEnvironment(OrtHandleFactory.Wrap<OrtEnvHandle>(env), minimumSeverity);
            return instance;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnLog(nint param, OrtLogSeverity severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        // Exceptions must never cross back into native code.
        try
        {
            sink?.Invoke(new OrtLogMessage(
                severity,
                Marshal.PtrToStringUTF8((nint)category) ?? string.Empty,
                Marshal.PtrToStringUTF8((nint)logId) ?? string.Empty,
                Marshal.PtrToStringUTF8((nint)codeLocation) ?? string.Empty,
                Marshal.PtrToStringUTF8((nint)message) ?? string.Empty));
        }
#pragma warning disable CA1031 // a logging failure must not take the process down
        catch
#pragma warning restore CA1031
        {
        }
    }
}
