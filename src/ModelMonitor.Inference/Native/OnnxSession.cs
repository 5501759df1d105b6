using System.Runtime.InteropServices;
using System.Text;

namespace ModelMonitor.Inference.Native;

/// <summary>
/// An ONNX Runtime inference session created from a model file. Inputs and outputs are read from
/// the model. <see cref="Run"/> is thread-safe, as ORT's Run is.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OrtSessionHandle session;
    private readonly OrtMemoryInfoHandle cpuMemory;
    private readonly Dictionary<string, nint> nativeNames;
    private readonly nint[] outputNamePointers;

    private OnnxSession(
        string modelPath,
        OrtSessionHandle session,
        OrtMemoryInfoHandle cpuMemory,
        IReadOnlyList<NodeMetadata> inputs,
        IReadOnlyList<NodeMetadata> outputs)
    {
        ModelPath = modelPath;
        this.session = session;
        this.cpuMemory = cpuMemory;
        Inputs = inputs;
        Outputs = outputs;
        nativeNames = new Dictionary<string, nint>(StringComparer.Ordinal);
        foreach (var node in inputs.Concat(outputs))
        {
            nativeNames.TryAdd(node.Name, Marshal.StringToCoTaskMemUTF8(node.Name));
        }

        outputNamePointers = outputs.Select(o => nativeNames[o.Name]).ToArray();
    }

    public string ModelPath { get; }

    public IReadOnlyList<NodeMetadata> Inputs { get; }

    public IReadOnlyList<NodeMetadata> Outputs { get; }

    /// <summary>Creates a session; ORT's own message explains a missing or corrupt file.</summary>
    public static OnnxSession Load(string modelPath, OnnxSessionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        settings ??= new OnnxSessionSettings();
        var environment = OrtEnvironment.GetOrCreate(settings.LogSeverity);
        var api = OrtApi.Instance;

        nint options;
        api.Check(api.CreateSessionOptions(&options));
        using var optionsHandle = OrtHandleFactory.Wrap<OrtSessionOptionsHandle>(options);
        api.Check(api.SetIntraOpNumThreads(options, settings.IntraOpThreads));
        api.Check(api.SetInterOpNumThreads(options, settings.InterOpThreads));
        api.Check(api.SetSessionGraphOptimizationLevel(options, settings.OptimizationLevel));
        api.Check(api.SetSessionExecutionMode(options, settings.ExecutionMode));
        api.Check(api.SetSessionLogSeverityLevel(options, (int)settings.LogSeverity));
        var entries = new Dictionary<string, string>(settings.ConfigEntries, StringComparer.Ordinal);
        entries.TryAdd("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
        foreach (var (key, value) in entries)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key + "\0");
            var valueBytes = Encoding.UTF8.GetBytes(value + "\0");
            fixed (byte* keyPointer = keyBytes)
            fixed (byte* valuePointer = valueBytes)
            {
                api.Check(api.AddSessionConfigEntry(options, keyPointer, valuePointer));
            }
        }

        nint sessionPointer;
        var path = Encoding.UTF8.GetBytes(Path.GetFullPath(modelPath) + "\0");
        using (var env = environment.Handle.Acquire())
        {
            fixed (byte* pathPointer = path)
            {
                api.Check(api.CreateSession(env.Pointer, pathPointer, options, &sessionPointer));
            }
        }

        var sessionHandle = OrtHandleFactory.Wrap<OrtSessionHandle>(sessionPointer);
        try
        {
            nint memory;
            api.Check(api.CreateCpuMemoryInfo(1 /* OrtArenaAllocator */, 0 /* OrtMemTypeDefault */, &memory));
            var memoryHandle = OrtHandleFactory.Wrap<OrtMemoryInfoHandle>(memory);
            return new OnnxSession(modelPath, sessionHandle, memoryHandle, ReadNodes(sessionPointer, input: true), ReadNodes(sessionPointer, input: false));
        }
        catch
        {
            sessionHandle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model. Input arrays are pinned and passed to ORT without copying; outputs are
    /// allocated by ORT and owned by the returned result. Cancellation asks ORT to terminate the run.
    /// </summary>
    public OnnxRunResult Run(IReadOnlyList<TensorInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        var api = OrtApi.Instance;
        var count = inputs.Count;
        var pins = new GCHandle[count];
        var values = new nint[count];
        var names = new nint[count];
        var outputs = new nint[outputNamePointers.Length];
        OrtRunOptionsHandle? runOptions = null;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var input = inputs[i];
                if (!nativeNames.TryGetValue(input.Name, out names[i]) || !Inputs.Any(n => n.Name == input.Name))
                {
                    throw new ArgumentException($"The model has no input named '{input.Name}'. Inputs: {string.Join(", ", Inputs.Select(n => n.Name))}.", nameof(inputs));
                }

                pins[i] = GCHandle.Alloc(input.Buffer, GCHandleType.Pinned);
                var shape = input.Shape.ToArray();
                fixed (long* shapePointer = shape)
                {
                    nint value;
                    using var memory = cpuMemory.Acquire();
                    api.Check(api.CreateTensorWithDataAsOrtValue(
                        memory.Pointer,
                        (void*)pins[i].AddrOfPinnedObject(),
                        (nuint)input.ByteLength,
                        shapePointer,
                        (nuint)shape.Length,
                        input.ElementType,
                        &value));
                    values[i] = value;
                }
            }

            nint runOptionsPointer = 0;
            CancellationTokenRegistration registration = default;
            if (cancellationToken.CanBeCanceled)
            {
                api.Check(api.CreateRunOptions(&runOptionsPointer));
                runOptions = OrtHandleFactory.Wrap<OrtRunOptionsHandle>(runOptionsPointer);
                var captured = runOptions;
                registration = cancellationToken.Register(() =>
                {
                    using var lease = captured.Acquire();
                    OrtApi.Instance.RunOptionsSetTerminate(lease.Pointer);
                });
            }

            using (registration)
            using (var sessionLease = session.Acquire())
            {
                fixed (nint* namePointer = names)
                fixed (nint* valuePointer = values)
                fixed (nint* outputNames = outputNamePointers)
                fixed (nint* outputPointer = outputs)
                {
                    var status = api.Run(sessionLease.Pointer, runOptionsPointer, namePointer, valuePointer, (nuint)count, outputNames, (nuint)outputs.Length, outputPointer);
                    if (status != 0 && cancellationToken.IsCancellationRequested)
                    {
                        api.ReleaseStatus(status);
                        throw new OperationCanceledException(cancellationToken);
                    }

                    api.Check(status);
                }
            }

            var handles = outputs.Select(OrtHandleFactory.Wrap<OrtValueHandle>).ToArray();
            return new OnnxRunResult(Outputs.Select(o => o.Name).ToArray(), handles);
        }
        catch
        {
            foreach (var output in outputs)
            {
                if (output != 0)
                {
                    api.ReleaseValue(output);
                }
            }

            throw;
        }
        finally
        {
            runOptions?.Dispose();
            for (var i = 0; i < count; i++)
            {
                if (values[i] != 0)
                {
                    api.ReleaseValue(values[i]);
                }

                if (pins[i].IsAllocated)
                {
                    pins[i].Free();
                }
            }
        }
    }

    public void Dispose()
    {
        session.Dispose();
        cpuMemory.Dispose();
        foreach (var pointer in nativeNames.Values)
        {
            Marshal.FreeCoTaskMem(pointer);
        }

        nativeNames.Clear();
    }

    internal static (TensorElementType ElementType, long[] Shape) ReadTensorInfo(nint tensorInfo)
    {
        var (elementType, shape, _) = ReadTensorInfoWithSymbols(tensorInfo);
        return (elementType, shape);
    }

    private static (TensorElementType ElementType, long[] Shape, string[] Symbols) ReadTensorInfoWithSymbols(nint tensorInfo)
    {
        var api = OrtApi.Instance;
        TensorElementType elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType));
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank));
        var shape = new long[(int)rank];
        var symbols = new string[(int)rank];
        if (rank > 0)
        {
            var symbolPointers = new nint[(int)rank];
            fixed (long* shapePointer = shape)
            fixed (nint* symbolPointer = symbolPointers)
            {
                api.Check(api.GetDimensions(tensorInfo, shapePointer, rank));
                api.Check(api.GetSymbolicDimensions(tensorInfo, (byte**)symbolPointer, rank));
            }

            for (var i = 0; i < symbols.Length; i++)
            {
                symbols[i] = Marshal.PtrToStringUTF8(symbolPointers[i]) ?? string.Empty;
            }
        }

        return (elementType, shape, symbols);
    }

    private static NodeMetadata[] ReadNodes(nint session, bool input)
    {
        var api = OrtApi.Instance;
        nuint count;
        api.Check(input ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        nint allocator;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        var nodes = new NodeMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            api.Check(input ? api.SessionGetInputName(session, i, allocator, &rawName) : api.SessionGetOutputName(session, i, allocator, &rawName));
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((nint)rawName) ?? string.Empty;
            }
            finally
            {
                api.Check(api.AllocatorFree(allocator, rawName));
            }

            nint typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            using var typeInfoHandle = OrtHandleFactory.Wrap<OrtTypeInfoHandle>(typeInfo);
            OnnxValueKind kind;
            api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &kind));
            if (kind != OnnxValueKind.Tensor)
            {
                nodes[(int)i] = new NodeMetadata(name, kind, TensorElementType.Undefined, [], []);
                continue;
            }

            // The tensor info belongs to the type info: it is not released separately.
            nint tensorInfo;
            api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            var (elementType, shape, symbols) = ReadTensorInfoWithSymbols(tensorInfo);
            nodes[(int)i] = new NodeMetadata(name, kind, elementType, shape, symbols);
        }

        return nodes;
    }
}
