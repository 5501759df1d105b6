using System.Runtime.InteropServices;

namespace ModelMonitor.Inference.Native;

/// <summary>
/// The ORT C API function table, read once through <c>OrtGetApiBase()-&gt;GetApi(version)</c>.
/// Every pointer to an ORT object is passed as <see cref="nint"/>; ownership lives in the SafeHandles.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>
    /// The API version we ask for. ORT 1.30 serves every version up to 30; we need nothing newer than 1
    /// for the slots we use, and ask for a modest version so older 1.x libraries still load.
    /// </summary>
    internal const uint RequestedVersion = 14;

    private static readonly Lazy<OrtApi> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtApi(nint* table, string version)
    {
        Version = version;
        CreateStatus = (delegate* unmanaged<OrtErrorCode, byte*, nint>)table[(int)OrtApiSlot.CreateStatus];
        GetErrorCode = (delegate* unmanaged<nint, OrtErrorCode>)table[(int)OrtApiSlot.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)table[(int)OrtApiSlot.GetErrorMessage];
        CreateEnv = (delegate* unmanaged<OrtLogSeverity, byte*, nint*, nint>)table[(int)OrtApiSlot.CreateEnv];
        CreateEnvWithCustomLogger = (delegate* unmanaged<delegate* unmanaged<nint, OrtLogSeverity, byte*, byte*, byte*, byte*, void>, nint, OrtLogSeverity, byte*, nint*, nint>)table[(int)OrtApiSlot.CreateEnvWithCustomLogger];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[(int)OrtApiSlot.CreateSession];
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)table[(int)OrtApiSlot.Run];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtApiSlot.CreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged<nint, ExecutionMode, nint>)table[(int)OrtApiSlot.SetSessionExecutionMode];
        SetSessionLogSeverityLevel = (delegate* unmanaged<nint, int, nint>)table[(int)OrtApiSlot.SetSessionLogSeverityLevel];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, GraphOptimizationLevel, nint>)table[(int)OrtApiSlot.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[(int)OrtApiSlot.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[(int)OrtApiSlot.SetInterOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtApiSlot.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtApiSlot.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[(int)OrtApiSlot.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[(int)OrtApiSlot.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[(int)OrtApiSlot.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[(int)OrtApiSlot.SessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtApiSlot.CreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)table[(int)OrtApiSlot.RunOptionsSetTerminate];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint>)table[(int)OrtApiSlot.CreateTensorWithDataAsOrtValue];
        IsTensor = (delegate* unmanaged<nint, int*, nint>)table[(int)OrtApiSlot.IsTensor];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[(int)OrtApiSlot.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[(int)OrtApiSlot.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, OnnxValueKind*, nint>)table[(int)OrtApiSlot.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<nint, TensorElementType*, nint>)table[(int)OrtApiSlot.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[(int)OrtApiSlot.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[(int)OrtApiSlot.GetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)table[(int)OrtApiSlot.GetSymbolicDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[(int)OrtApiSlot.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[(int)OrtApiSlot.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)table[(int)OrtApiSlot.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[(int)OrtApiSlot.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseSession];
        ReleaseValue = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)table[(int)OrtApiSlot.ReleaseSessionOptions];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)table[(int)OrtApiSlot.AddSessionConfigEntry];
    }

    /// <summary>The loaded table; throws <see cref="OrtException"/> when the library cannot be loaded.</summary>
    internal static OrtApi Instance => Shared.Value;

    /// <summary>ORT's own version string, e.g. "1.30.0".</summary>
    internal string Version { get; }

    internal readonly delegate* unmanaged<OrtErrorCode, byte*, nint> CreateStatus;
    internal readonly delegate* unmanaged<nint, OrtErrorCode> GetErrorCode;
    internal readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    internal readonly delegate* unmanaged<OrtLogSeverity, byte*, nint*, nint> CreateEnv;
    internal readonly delegate* unmanaged<delegate* unmanaged<nint, OrtLogSeverity, byte*, byte*, byte*, byte*, void>, nint, OrtLogSeverity, byte*, nint*, nint> CreateEnvWithCustomLogger;
    internal readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    internal readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    internal readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    internal readonly delegate* unmanaged<nint, ExecutionMode, nint> SetSessionExecutionMode;
    internal readonly delegate* unmanaged<nint, int, nint> SetSessionLogSeverityLevel;
    internal readonly delegate* unmanaged<nint, GraphOptimizationLevel, nint> SetSessionGraphOptimizationLevel;
    internal readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    internal readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    internal readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    internal readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    internal readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint> CreateTensorWithDataAsOrtValue;
    internal readonly delegate* unmanaged<nint, int*, nint> IsTensor;
    internal readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    internal readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    internal readonly delegate* unmanaged<nint, OnnxValueKind*, nint> GetOnnxTypeFromTypeInfo;
    internal readonly delegate* unmanaged<nint, TensorElementType*, nint> GetTensorElementType;
    internal readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    internal readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    internal readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    internal readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    internal readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    internal readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    internal readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    internal readonly delegate* unmanaged<nint, void> ReleaseEnv;
    internal readonly delegate* unmanaged<nint, void> ReleaseStatus;
    internal readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseSession;
    internal readonly delegate* unmanaged<nint, void> ReleaseValue;
    internal readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    internal readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    internal readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    internal readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;

    /// <summary>Turns a non-null <c>OrtStatus*</c> into an <see cref="OrtException"/> and releases it.</summary>
    internal void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var code = GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? string.Empty;
        ReleaseStatus(status);
        throw new OrtException(code, message);
    }

    private static OrtApi Load()
    {
        OrtLibrary.EnsureResolver();
        OrtApiBase* apiBase;
        try
        {
            apiBase = OrtLibrary.OrtGetApiBase();
        }
        catch (DllNotFoundException e)
        {
            throw new OrtException(
                $"Cannot load {OrtLibrary.FileName}. Looked in: {string.Join(", ", OrtLibrary.Candidates())}. " +
                "The build fetches it (build/fetch-onnxruntime.sh); set " + OrtLibrary.PathVariable + " to use another copy.",
                e);
        }

        var version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "unknown";
        var table = (nint*)apiBase->GetApi(RequestedVersion);
        if (table == null)
        {
            throw new OrtException(OrtErrorCode.Fail, $"ONNX Runtime {version} does not serve C API version {RequestedVersion}.");
        }

        return new OrtApi(table, version);
    }
}
