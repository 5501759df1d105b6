using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Reference;

/// <summary>
/// The score features (confidence, margin, entropy) of the first live predictions after a
/// reference became ready: the score reference when the reference texts may have been in the
/// model's training data, where the model is more sure of itself than on any text it never saw.
/// </summary>
public sealed record ScoreSample(DateTimeOffset FrozenAt, string ReferenceSource, IReadOnlyList<double> Confidence, IReadOnlyList<double> Margin, IReadOnlyList<double> Entropy)
{
    public int Count => Confidence.Count;

    /// <summary>The id of the last prediction in the sample, when predictions have ids: where the predictions judged against it begin.</summary>
    public string? LastPredictionId { get; init; }

    public static ScoreSample From(DateTimeOffset frozenAt, string referenceSource, IReadOnlyList<TextFeatureVector> vectors, string? lastPredictionId)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return new ScoreSample(frozenAt, referenceSource, [.. vectors.Select(v => v.Confidence)], [.. vectors.Select(v => v.Margin)], [.. vectors.Select(v => v.Entropy)])
        {
            LastPredictionId = lastPredictionId,
        };
    }

    public IReadOnlyList<double> Values(string feature) => feature switch
    {
        FeatureNames.Confidence => Confidence,
        FeatureNames.Margin => Margin,
        FeatureNames.Entropy => Entropy,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a score feature."),
    };
}
