namespace ModelMonitor.Service.Options;

/// <summary>Which model folder to serve and how to run it (section <c>Model</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>
    /// The model folder. Relative paths resolve against the working directory, then the repository
    /// root, so the default <c>../shared/models/sst2-tiny</c> works from a clone with shared/ beside it.
    /// </summary>
    public string Path { get; set; } = "../shared/models/sst2-tiny";

    /// <summary>Tokens per text, special tokens included; capped at the model's own maximum.</summary>
    public int MaxSequenceLength { get; set; } = 512;

    /// <summary>Most texts per ONNX Runtime call; larger requests are split.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>The text classified once at startup, before the service reports ready.</summary>
    public string WarmupText { get; set; } = "ModelMonitor warm-up.";
}
