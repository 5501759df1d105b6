namespace ModelMonitor.Inference.Native;

/// <summary>
/// An input or output of a model, as read from the model itself: name, kind, element type and
/// shape. A dynamic dimension is -1 in <see cref="Shape"/> and named in <see cref="SymbolicShape"/>.
/// </summary>
public sealed record NodeMetadata(
    string Name,
    OnnxValueKind Kind,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> SymbolicShape)
{
    public int Rank => Shape.Count;

    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.IsNullOrEmpty(SymbolicShape[i]) ? "?" : SymbolicShape[i]);
        return $"{Name}: {ElementType}[{string.Join(", ", dims)}]";
    }
}
