using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Drift;

/// <summary>A snapshot of the live window: each prediction's features, and its true label or -1.</summary>
public sealed record WindowSample(IReadOnlyList<TextFeatureVector> Vectors, IReadOnlyList<int> Truth, DateTimeOffset? From, DateTimeOffset? To)
{
    public int Labelled => Truth.Count(t => t >= 0);
}
