namespace ModelMonitor.Inference.Native;

/// <summary>
/// The outputs of one Run, owned by ORT. Spans point straight into ORT's memory and are valid
/// until this object is disposed.
/// </summary>
public sealed unsafe class OnnxRunResult : IDisposable
{
    private readonly OrtValueHandle[] values;

    internal OnnxRunResult(IReadOnlyList<string> names, OrtValueHandle[] values)
    {
        Names = names;
        this.values = values;
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => values.Length;

    public TensorElementType GetElementType(int index) => Describe(index).ElementType;

    public long[] GetShape(int index) => Describe(index).Shape;

    /// <summary>The output's data as a span of <typeparamref name="T"/>, without copying.</summary>
    public ReadOnlySpan<T> GetSpan<T>(int index)
        where T : unmanaged
    {
        var (elementType, shape) = Describe(index);
        var expected = ElementTypeOf<T>();
        if (elementType != expected)
        {
            throw new InvalidOperationException($"Output '{Names[index]}' holds {elementType}, not {expected}.");
        }

        var count = checked((int)shape.Aggregate(1L, (a, d) => a * d));
        var api = OrtApi.Instance;
        using var lease = values[index].Acquire();
        void* data;
        api.Check(api.GetTensorMutableData(lease.Pointer, &data));
        return new ReadOnlySpan<T>(data, count);
    }

    public void Dispose()
    {
        foreach (var value in values)
        {
            value.Dispose();
        }
    }

    private static TensorElementType ElementTypeOf<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return TensorElementType.Float;
        }

        if (typeof(T) == typeof(double))
        {
            return TensorElementType.Double;
        }

        if (typeof(T) == typeof(long))
        {
            return TensorElementType.Int64;
        }

        if (typeof(T) == typeof(int))
        {
            return TensorElementType.Int32;
        }

        throw new NotSupportedException($"Element type {typeof(T).Name} is not supported.");
    }

    private (TensorElementType ElementType, long[] Shape) Describe(int index)
    {
        var api = OrtApi.Instance;
        using var lease = values[index].Acquire();
        int isTensor;
        api.Check(api.IsTensor(lease.Pointer, &isTensor));
        if (isTensor == 0)
        {
            throw new InvalidOperationException($"Output '{Names[index]}' is not a tensor.");
        }

        nint info;
        api.Check(api.GetTensorTypeAndShape(lease.Pointer, &info));
        using var infoHandle = OrtHandleFactory.Wrap<OrtTensorTypeAndShapeInfoHandle>(info);
        return OnnxSession.ReadTensorInfo(info);
    }
}
