using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Monitoring.Features;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>One window taken from a corpus: what the estimator and the drift monitor see, and the truth (-1: none).</summary>
internal sealed record ScoredWindow(int[] Predicted, IReadOnlyList<double>[] Probabilities, int[] Truth, TextFeatureVector[] Features);

/// <summary>
/// Texts run once through the real model, kept with their logits and encodings so that a changed
/// model (sharpened logits) or changed labels can be derived without running it again. Features
/// are the monitor's, computed as the service computes them for /predict.
/// </summary>
internal sealed class ScoredCorpus
{
    private readonly TokenizerEncoding[] encodings;
    private readonly float[][] logits;

    private ScoredCorpus(string[] texts, int[] truth, TokenizerEncoding[] encodings, float[][] logits, IReadOnlyList<double>[] probabilities, TextFeatureVector[] features)
    {
        Texts = texts;
        Truth = truth;
        this.encodings = encodings;
        this.logits = logits;
        Probabilities = probabilities;
        Features = features;
        Predicted = [.. probabilities.Select(ArgMax)];
    }

    public string[] Texts { get; }

    /// <summary>The true label index of each text, or -1 when it has none.</summary>
    public int[] Truth { get; }

    public int[] Predicted { get; }

    public IReadOnlyList<double>[] Probabilities { get; }

    public TextFeatureVector[] Features { get; }

    public int Count => Texts.Length;

    /// <summary>The share of texts predicted right (only for a corpus with labels).</summary>
    public double Accuracy => Predicted.Zip(Truth).Count(p => p.First == p.Second) / (double)Count;

    /// <summary>The mean probability of the predicted label.</summary>
    public double MeanConfidence => Probabilities.Average(p => p.Max());

    public static ScoredCorpus Score(TextClassifier classifier, string[] texts, int[] truth)
    {
        var encodings = texts.Select(classifier.Tokenize).ToArray();
        var results = classifier.Classify(encodings);
        var probabilities = results.Select(r => (IReadOnlyList<double>)[.. r.Probabilities]).ToArray();
        return new ScoredCorpus(texts, truth, encodings, [.. results.Select(r => r.Logits.ToArray())], probabilities, Featurize(classifier, texts, encodings, probabilities));
    }

    /// <summary>
    /// The same texts as a model whose logits are divided by <paramref name="temperature"/> before
    /// the softmax: below 1 it is more confident, with the same predicted labels.
    /// </summary>
    public ScoredCorpus Sharpened(TextClassifier classifier, double temperature)
    {
        var scaled = logits.Select(row => row.Select(l => (float)(l / temperature)).ToArray()).ToArray();
        var probabilities = scaled.Select(row => (IReadOnlyList<double>)Softmax.Compute(row)).ToArray();
        return new ScoredCorpus(Texts, Truth, encodings, scaled, probabilities, Featurize(classifier, Texts, encodings, probabilities));
    }

    /// <summary>The same inputs and predictions with other true labels.</summary>
    public ScoredCorpus Relabelled(int[] truth) => new(Texts, truth, encodings, logits, Probabilities, Features);

    public ScoredWindow Take(IReadOnlyList<int> positions) => new(
        [.. positions.Select(i => Predicted[i])],
        [.. positions.Select(i => Probabilities[i])],
        [.. positions.Select(i => Truth[i])],
        [.. positions.Select(i => Features[i])]);

    private static TextFeatureVector[] Featurize(TextClassifier classifier, string[] texts, TokenizerEncoding[] encodings, IReadOnlyList<double>[] probabilities)
    {
        var tokenizer = classifier.Tokenizer;
        return [.. texts.Select((text, i) => TextFeatures.Compute(
            text,
            encodings[i].Ids,
            tokenizer.SpecialTokenCount,
            tokenizer.UnknownId,
            encodings[i].UntruncatedLength,
            encodings[i].Truncated,
            [.. probabilities[i]],
            tokenizer.IsContinuation))];
    }

    /// <summary>The first label with the largest probability, as <see cref="TextClassifier"/> picks it.</summary>
    private static int ArgMax(IReadOnlyList<double> probabilities)
    {
        var best = 0;
        for (var j = 1; j < probabilities.Count; j++)
        {
            best = probabilities[j] > probabilities[best] ? j : best;
        }

        return best;
    }
}
