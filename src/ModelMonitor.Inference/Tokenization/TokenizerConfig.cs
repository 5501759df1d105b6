using System.Text.Json;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>What we read from tokenizer_config.json; every field has the BERT default when absent.</summary>
internal sealed record TokenizerConfig(
    bool DoLowerCase,
    bool? StripAccents,
    bool TokenizeChineseChars,
    string UnkToken,
    string ClsToken,
    string SepToken,
    string MaskToken,
    string? PadToken,
    int ModelMaxLength)
{
    /// <summary>Used when no file gives a maximum: BERT's 512 positions.</summary>
    public const int DefaultModelMaxLength = 512;

    /// <summary>Hugging Face writes a huge sentinel when a tokenizer has no maximum; anything above this is "unset".</summary>
    private const double UnsetMaxLengthThreshold = 1e9;

    public static TokenizerConfig Read(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new TokenizerConfig(true, null, true, "[UNK]", "[CLS]", "[SEP]", "[MASK]", null, DefaultModelMaxLength);
        }

        using var document = JsonFields.ParseFile(path);
        var root = document.RootElement;
        var maxLength = DefaultModelMaxLength;
        if (root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number && max.GetDouble() < UnsetMaxLengthThreshold)
        {
            maxLength = (int)max.GetDouble();
        }

        return new TokenizerConfig(
            JsonFields.Flag(root, "do_lower_case", true),
            JsonFields.OptionalFlag(root, "strip_accents"),
            JsonFields.Flag(root, "tokenize_chinese_chars", true),
            JsonFields.TokenString(root, "unk_token") ?? "[UNK]",
            JsonFields.TokenString(root, "cls_token") ?? "[CLS]",
            JsonFields.TokenString(root, "sep_token") ?? "[SEP]",
            JsonFields.TokenString(root, "mask_token") ?? "[MASK]",
            JsonFields.TokenString(root, "pad_token"),
            maxLength);
    }
}
