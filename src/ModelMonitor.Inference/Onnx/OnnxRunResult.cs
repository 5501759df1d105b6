using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// The outputs of one Run, owned by ORT. Spans point straight into ORT's memory and are valid
/// until this object is disposed; until then the result also keeps its session alive.
/// </summary>
public sealed class OnnxRunResult : IDisposable
{
    private readonly IDisposableReadOnlyCollection<OrtValue> owned;
    private readonly OrtValue[] values;
    private readonly SessionLifetime lifetime;
    private int disposed;

    internal OnnxRunResult(IReadOnlyList<string> names, IDisposableReadOnlyCollection<OrtValue> values, SessionLifetime lifetime)
    {
        Names = names;
        owned = values;
        this.values = [.. values];
        this.lifetime = lifetime;
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => values.Length;

    public TensorElementType GetElementType(int index) => Describe(index).ElementDataType;

    public long[] GetShape(int index) => Describe(index).Shape;

    /// <summary>The output's data as a span of <typeparamref name="T"/>, without copying.</summary>
    public ReadOnlySpan<T> GetSpan<T>(int index)
        where T : unmanaged
    {
        var elementType = Describe(index).ElementDataType;
        var expected = ElementTypeOf<T>();
        if (elementType != expected)
        {
            throw new InvalidOperationException($"Output '{Names[index]}' holds {elementType}, not {expected}.");
        }

        return values[index].GetTensorDataAsSpan<T>();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            owned.Dispose();
        }
        finally
        {
            lifetime.Exit();
        }
    }

    private static TensorElementType ElementTypeOf<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : throw new NotSupportedException($"Element type {typeof(T).Name} is not supported.");

    private OrtTensorTypeAndShapeInfo Describe(int index)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var value = values[index];
        if (!value.IsTensor)
        {
            throw new InvalidOperationException($"Output '{Names[index]}' is not a tensor.");
        }

        return value.GetTensorTypeAndShape();
    }
}
