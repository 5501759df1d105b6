using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Service.Monitoring;

/// <summary>Turns what /predict already has (texts, encodings, classifications) into monitored features.</summary>
internal static class FeatureExtractor
{
    public static TextFeatureVector[] Extract(TextClassifier classifier, IReadOnlyList<string> texts, IReadOnlyList<TokenizerEncoding> encodings, IReadOnlyList<Classification> results)
    {
        var specials = classifier.Tokenizer.SpecialTokenCount;
        var unknown = classifier.Tokenizer.UnknownId;
        var tokenizer = classifier.Tokenizer;
        bool IsContinuation(int id) => tokenizer.IsContinuation(id);
        var vectors = new TextFeatureVector[texts.Count];
        for (var i = 0; i < vectors.Length; i++)
        {
            var encoding = encodings[i];
            vectors[i] = TextFeatures.Compute(texts[i], encoding.Ids, specials, unknown, encoding.UntruncatedLength, encoding.Truncated, [.. results[i].Probabilities], IsContinuation);
        }

        return vectors;
    }
}
