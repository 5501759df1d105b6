namespace ModelMonitor.Monitoring.Features;

/// <summary>The monitored features, by the names used in /drift, the report, the audit and the metrics.</summary>
public static class FeatureNames
{
    /// <summary>Characters (Unicode code points) in the text.</summary>
    public const string CharLength = "char_length";

    /// <summary>WordPiece tokens, special tokens included, before truncation.</summary>
    public const string TokenCount = "token_count";

    /// <summary>Share of the text's content tokens that are the unknown token ([UNK]).</summary>
    public const string UnknownTokenShare = "unknown_token_share";

    /// <summary>Share of the non-whitespace characters that are not letters (digits, punctuation, symbols, emoji).</summary>
    public const string NonLetterShare = "non_letter_share";

    /// <summary>Share of the text's letters that are upper-case, before the tokenizer lower-cases them (0 without letters).</summary>
    public const string UpperCaseShare = "upper_case_share";

    /// <summary>WordPiece pieces per word: content tokens over word-initial tokens (a misspelt word splits into more pieces).</summary>
    public const string PiecesPerWord = "pieces_per_word";

    /// <summary>Share of words that WordPiece split into 3 or more pieces.</summary>
    public const string SplitWordShare = "split_word_share";

    /// <summary>Whether the text was cut to the model's maximum sequence length (categorical: true/false).</summary>
    public const string Truncated = "truncated";

    /// <summary>The predicted label (categorical).</summary>
    public const string PredictedLabel = "predicted_label";

    /// <summary>The top probability.</summary>
    public const string Confidence = "confidence";

    /// <summary>The top probability minus the second one.</summary>
    public const string Margin = "margin";

    /// <summary>Shannon entropy of the probabilities, in bits.</summary>
    public const string Entropy = "entropy";

    public static IReadOnlyList<string> Inputs { get; } = [CharLength, TokenCount, UnknownTokenShare, NonLetterShare, UpperCaseShare, PiecesPerWord, SplitWordShare, Truncated];

    public static IReadOnlyList<string> Outputs { get; } = [PredictedLabel, Confidence, Margin, Entropy];

    public static IReadOnlyList<string> All { get; } = [.. Inputs, .. Outputs];

    public static IReadOnlyList<string> Numeric { get; } = [CharLength, TokenCount, UnknownTokenShare, NonLetterShare, UpperCaseShare, PiecesPerWord, SplitWordShare, Confidence, Margin, Entropy];

    public static IReadOnlyList<string> Categorical { get; } = [Truncated, PredictedLabel];

    /// <summary>
    /// The score features: how sure the model is. Unlike the inputs and the predicted label, they
    /// depend on whether the model saw the text in training, so they can have a reference of their
    /// own (<see cref="Reference.ScoreSample"/>).
    /// </summary>
    public static IReadOnlyList<string> Scores { get; } = [Confidence, Margin, Entropy];

    public static bool IsScore(string feature) => Scores.Contains(feature);

    public static bool IsInput(string feature) => Inputs.Contains(feature);
}
