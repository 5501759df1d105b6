namespace ModelMonitor.Monitoring.Features;

/// <summary>One prediction's features: five describe the input text, four the model's output.</summary>
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
    /// <summary>The value of a numeric feature by name.</summary>
    public double Numeric(string feature) => feature switch
    {
        FeatureNames.CharLength => CharLength,
        FeatureNames.TokenCount => TokenCount,
        FeatureNames.UnknownTokenShare => UnknownTokenShare,
        FeatureNames.NonLetterShare => NonLetterShare,
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
