namespace ModelMonitor.Inference.Tokenization;

/// <summary>The <c>BertNormalizer</c> settings from tokenizer.json (or tokenizer_config.json).</summary>
public sealed record BertNormalizerOptions
{
    public bool CleanText { get; init; } = true;

    public bool HandleChineseChars { get; init; } = true;

    /// <summary>Null follows <see cref="Lowercase"/>, as in Hugging Face tokenizers.</summary>
    public bool? StripAccents { get; init; }

    public bool Lowercase { get; init; } = true;
}
