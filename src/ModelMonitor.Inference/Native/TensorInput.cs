namespace ModelMonitor.Inference.Native;

/// <summary>
/// A named input tensor over a managed array. The array is pinned for the duration of Run and
/// handed to ORT directly, with no copy.
/// </summary>
public sealed class TensorInput
{
    private TensorInput(string name, Array buffer, TensorElementType elementType, int elementSize, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (shape.Any(d => d < 0) || count > buffer.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] does not fit a buffer of {buffer.Length} elements.", nameof(shape));
        }

        Name = name;
        Buffer = buffer;
        ElementType = elementType;
        Shape = shape;
        ByteLength = checked(count * elementSize);
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    internal Array Buffer { get; }

    internal long ByteLength { get; }

    /// <summary>An int64 tensor; <paramref name="data"/> may be longer than the shape (pooled arrays).</summary>
    public static TensorInput Int64(string name, long[] data, params long[] shape) => new(name, data, TensorElementType.Int64, sizeof(long), shape);

    public static TensorInput Int32(string name, int[] data, params long[] shape) => new(name, data, TensorElementType.Int32, sizeof(int), shape);

    public static TensorInput Float(string name, float[] data, params long[] shape) => new(name, data, TensorElementType.Float, sizeof(float), shape);
}
