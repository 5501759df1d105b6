using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>A snapshot of the live window: each prediction's features, and its true label or -1.</summary>
public sealed record WindowSample(IReadOnlyList<TextFeatureVector> Vectors, IReadOnlyList<int> Truth, DateTimeOffset? From, DateTimeOffset? To)
{
    public int Labelled => Truth.Count(t => t >= 0);

    /// <summary>
    /// The first prediction made after a live score reference was frozen. Score features are
    /// judged on the predictions from here on only: the ones before it may be the score
    /// reference itself, and a sample compared with itself never drifts.
    /// </summary>
    public int ScoreFrom { get; init; }

    /// <summary>
    /// The first prediction made after a reference frozen from live predictions. Features are
    /// judged on the predictions from here on only, for the same reason; performance counts them all.
    /// </summary>
    public int FeatureFrom { get; init; }

    /// <summary>How many predictions the features are judged on.</summary>
    public int Judged => Vectors.Count - Math.Clamp(FeatureFrom, 0, Vectors.Count);

    /// <summary>How many predictions the score features are judged on.</summary>
    public int ScoreJudged => Vectors.Count - Math.Clamp(Math.Max(FeatureFrom, ScoreFrom), 0, Vectors.Count);
}
