using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;

namespace ModelMonitor.Monitoring.Tests.Drift;

/// <summary>Seeded feature vectors with knobs for each kind of change.</summary>
internal static class Synthetic
{
    public static readonly string[] Labels = ["NEGATIVE", "POSITIVE"];

    public static TextFeatureVector[] Vectors(int count, int seed, double lengthScale = 1, double nonLetterShift = 0, double unknownShare = 0, double positiveShare = 0.5, double confidenceShift = 0)
    {
        var random = new Random(seed);
        var vectors = new TextFeatureVector[count];
        for (var i = 0; i < count; i++)
        {
            var chars = Math.Round((40 + (random.NextDouble() * 120)) * lengthScale);
            var tokens = Math.Round(chars / 4.5) + 2;
            var label = random.NextDouble() < positiveShare ? 1 : 0;
            var confidence = Math.Clamp(0.6 + (random.NextDouble() * 0.4) - confidenceShift, 0.5, 1);
            var probabilities = label == 1 ? new[] { 1 - confidence, confidence } : [confidence, 1 - confidence];
            var (_, top, margin, entropy) = TextFeatures.Outputs(probabilities);
            vectors[i] = new TextFeatureVector(chars, tokens, unknownShare * random.NextDouble(), Math.Clamp((0.2 * random.NextDouble()) + nonLetterShift, 0, 1), false, label, top, margin, entropy);
        }

        return vectors;
    }

    public static ReferenceProfile Profile(TextFeatureVector[] vectors, int[]? truth = null) =>
        ReferenceProfile.Create("test", DateTimeOffset.UnixEpoch, vectors, Labels, truth ?? [], 10);

    /// <summary>True labels: the prediction, except a share of them flipped.</summary>
    public static int[] Truth(TextFeatureVector[] vectors, double wrongShare, int seed)
    {
        var random = new Random(seed);
        return [.. vectors.Select(v => random.NextDouble() < wrongShare ? 1 - v.PredictedLabel : v.PredictedLabel)];
    }
}
