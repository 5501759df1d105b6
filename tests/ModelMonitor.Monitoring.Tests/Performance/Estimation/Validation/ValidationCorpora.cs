using System.Globalization;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Testing;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>How the shifted corpora are made from SST-2 dev. Every default is the one the doc's table was measured with.</summary>
internal sealed record CorpusSettings
{
    /// <summary>Share of the words hit by a typo.</summary>
    public double TypoShare { get; init; } = 0.3;

    /// <summary>Share of the texts whose true label is flipped (concept drift).</summary>
    public double FlipShare { get; init; } = 0.2;

    /// <summary>Logits are divided by this before the softmax (a model whose calibration changed).</summary>
    public double Temperature { get; init; } = 0.5;

    public int Seed { get; init; } = 20260117;
}

/// <summary>
/// SST-2 dev and banking77 run once through the real model, and the corpora derived from them:
/// dev with typos (run through the model again), dev with some labels flipped, and dev as a
/// sharpened model scores it. Position i is the same sentence in every dev corpus.
/// </summary>
internal sealed class ValidationCorpora
{
    private ValidationCorpora(CorpusSettings settings, IReadOnlyList<string> labels, ScoredCorpus clean, ScoredCorpus typed, ScoredCorpus flipped, ScoredCorpus sharpened, ScoredCorpus banking)
    {
        Settings = settings;
        Labels = labels;
        Clean = clean;
        Typed = typed;
        Flipped = flipped;
        Sharpened = sharpened;
        Banking = banking;
    }

    public CorpusSettings Settings { get; }

    public IReadOnlyList<string> Labels { get; }

    public ScoredCorpus Clean { get; }

    public ScoredCorpus Typed { get; }

    public ScoredCorpus Flipped { get; }

    public ScoredCorpus Sharpened { get; }

    /// <summary>banking77 queries; their truth is -1 (no sentiment).</summary>
    public ScoredCorpus Banking { get; }

    public static ValidationCorpora Score(TextClassifier classifier, CorpusSettings settings)
    {
        var dev = TestPaths.ReadTsv(TestPaths.Sst2Dev);
        var texts = dev.Select(r => r.Text).ToArray();
        var truth = dev.Select(r => int.Parse(r.Label.Trim(), CultureInfo.InvariantCulture)).ToArray();
        var clean = ScoredCorpus.Score(classifier, texts, truth);

        var typoRandom = new Random(settings.Seed + 1);
        var typed = ScoredCorpus.Score(classifier, [.. texts.Select(t => Typos.Apply(t, typoRandom, settings.TypoShare))], truth);
        var flipRandom = new Random(settings.Seed + 2);
        var flipped = clean.Relabelled([.. truth.Select(t => flipRandom.NextDouble() < settings.FlipShare ? 1 - t : t)]);
        var banking = TestPaths.ReadTsv(TestPaths.Banking77Dev).Select(r => r.Text).ToArray();
        return new ValidationCorpora(
            settings,
            classifier.Model.Labels,
            clean,
            typed,
            flipped,
            clean.Sharpened(classifier, settings.Temperature),
            ScoredCorpus.Score(classifier, banking, [.. banking.Select(_ => -1)]));
    }

    /// <summary>Share of the words the typo generator changed.</summary>
    public double TypedWordShare =>
        Clean.Texts.Zip(Typed.Texts).Sum(p => Typos.ChangedWords(p.First, p.Second)) / (double)Clean.Texts.Sum(t => t.Split(' ').Length);

    /// <summary>Share of the texts whose label was flipped.</summary>
    public double FlippedShare => Flipped.Truth.Zip(Clean.Truth).Count(p => p.First != p.Second) / (double)Clean.Count;
}
