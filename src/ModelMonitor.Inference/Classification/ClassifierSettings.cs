using ModelMonitor.Inference.Onnx;

namespace ModelMonitor.Inference.Classification;

/// <summary>How a classifier runs: ORT session options, sequence limit and inference batch size.</summary>
public sealed record ClassifierSettings
{
    public OnnxSessionSettings Session { get; init; } = new();

    /// <summary>
    /// Settings of a second session of the same model for calls that run alone, typically with every
    /// core as intra-op threads, while <see cref="Session"/> has its share of the cores for calls that
    /// run concurrently. Null: no second session. The two share ORT's pre-packed weights.
    /// </summary>
    public OnnxSessionSettings? SoloSession { get; init; }

    /// <summary>Upper bound on tokens per text (special tokens included); null uses the model's maximum.</summary>
    public int? MaxSequenceLength { get; init; }

    /// <summary>Most texts handed to ORT in one Run; larger requests are split.</summary>
    public int MaxBatchSize { get; init; } = 64;
}
