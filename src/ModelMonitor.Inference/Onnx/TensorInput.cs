using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// A named input tensor over managed memory (an array, or a slice of a pooled one). The memory is
/// pinned while the call runs and handed to ORT as it is (<c>OrtValue.CreateTensorValueFromMemory</c>),
/// with no copy.
/// </summary>
public sealed class TensorInput
{
    private readonly Func<OrtValue> createValue;

    private TensorInput(string name, TensorElementType elementType, long[] shape, Func<OrtValue> createValue)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        this.createValue = createValue;
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    /// <summary>An int64 tensor; <paramref name="data"/> may be longer than the shape (pooled arrays): its start is used.</summary>
    public static TensorInput Int64(string name, Memory<long> data, params long[] shape) => Create(name, TensorElementType.Int64, data, shape);

    public static TensorInput Int32(string name, Memory<int> data, params long[] shape) => Create(name, TensorElementType.Int32, data, shape);

    public static TensorInput Float(string name, Memory<float> data, params long[] shape) => Create(name, TensorElementType.Float, data, shape);

    /// <summary>The ORT value over the memory, pinned until the value is disposed.</summary>
    internal OrtValue CreateValue() => createValue();

    private static TensorInput Create<T>(string name, TensorElementType elementType, Memory<T> data, long[] shape)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (shape.Any(d => d < 0) || count > data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] does not fit a buffer of {data.Length} elements.", nameof(shape));
        }

        var used = data[..(int)count];
        var dimensions = (long[])shape.Clone();
        return new TensorInput(name, elementType, dimensions, () => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, used, dimensions));
    }
}
