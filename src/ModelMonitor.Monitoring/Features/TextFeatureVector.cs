namespace ModelMonitor.Monitoring.Features;

/// <summary>One prediction's features: eight describe the input text, four the model's output.</summary>
public readonly record struct TextFeatureVector(
    double CharLength,
    double TokenCount,
    double UnknownTokenShare,
    double NonLetterShare,
    bool Truncated,
    int PredictedLabel,
    double Confidence,
    double Margin,
    double Entropy)
{
    /// <summary>The model's probability per label (null where unknown, e.g. replayed records written before they were kept): the performance estimate needs them.</summary>
    public IReadOnlyList<double>? Probabilities { get; init; }

    /// <summary>See <see cref="FeatureNames.UpperCaseShare"/>.</summary>
    public double UpperCaseShare { get; init; }

    /// <summary>See <see cref="FeatureNames.PiecesPerWord"/>.</summary>
    public double PiecesPerWord { get; init; }

    /// <summary>See <see cref="FeatureNames.SplitWordShare"/>.</summary>
    public double SplitWordShare { get; init; }

    /// <summary>The value of a numeric feature by name.</summary>
    public double Numeric(string feature) => feature switch
    {
        FeatureNames.CharLength => CharLength,
        FeatureNames.TokenCount => TokenCount,
        FeatureNames.UnknownTokenShare => UnknownTokenShare,
        FeatureNames.NonLetterShare => NonLetterShare,
        FeatureNames.UpperCaseShare => UpperCaseShare,
        FeatureNames.PiecesPerWord => PiecesPerWord,
        FeatureNames.SplitWordShare => SplitWordShare,
        FeatureNames.Confidence => Confidence,
        FeatureNames.Margin => Margin,
        FeatureNames.Entropy => Entropy,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a numeric feature."),
    };

    /// <summary>The category of a categorical feature by name, given the model's label names.</summary>
    public string Category(string feature, IReadOnlyList<string> labels) => feature switch
    {
        FeatureNames.Truncated => Truncated ? "true" : "false",
        FeatureNames.PredictedLabel => labels[PredictedLabel],
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a categorical feature."),
    };
}
