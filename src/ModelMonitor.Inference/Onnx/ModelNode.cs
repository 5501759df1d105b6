using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// An input or output of a model, as read from the model itself: name, kind, element type and
/// shape. A dynamic dimension is -1 in <see cref="Shape"/> and named in <see cref="SymbolicShape"/>;
/// a node that is not a tensor has no element type (0) and no shape.
/// </summary>
public sealed record ModelNode(
    string Name,
    OnnxValueType Kind,
    TensorElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> SymbolicShape)
{
    public int Rank => Shape.Count;

    public bool IsTensor => Kind == OnnxValueType.ONNX_TYPE_TENSOR;

    public override string ToString()
    {
        var dims = Shape.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
            : string.IsNullOrEmpty(SymbolicShape[i]) ? "?" : SymbolicShape[i]);
        return IsTensor ? $"{Name}: {ElementType}[{string.Join(", ", dims)}]" : $"{Name}: {Kind}";
    }

    /// <summary>Reads ORT's metadata of one input or output.</summary>
    internal static ModelNode From(string name, NodeMetadata metadata) =>
        metadata.IsTensor
            ? new ModelNode(name, metadata.OnnxValueType, metadata.ElementDataType, [.. metadata.Dimensions.Select(d => (long)d)], [.. metadata.SymbolicDimensions])
            : new ModelNode(name, metadata.OnnxValueType, default, [], []);
}
