using ModelMonitor.Inference.Classification;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>A scored reference (or baseline set): its profile, and per text its features and true label (-1 without one).</summary>
internal sealed record ScoredReference(ReferenceProfile Profile, IReadOnlyList<TextFeatureVector> Vectors, IReadOnlyList<int> Truth);

/// <summary>
/// Scores reference texts once through the loaded model, in chunks, reporting progress, and
/// freezes them into a <see cref="ReferenceProfile"/>.
/// </summary>
internal static class ReferenceScorer
{
    private const int Chunk = 256;

    /// <summary>Reads, filters (phrase banks) and samples a reference file.</summary>
    public static (IReadOnlyList<ReferenceText> Texts, PhraseBankSummary Summary) ReadFile(DriftOptions options)
    {
        var all = ReferenceFileReader.Read(ModelPathResolver.Resolve(options.ReferencePath!), options.ReferenceTextColumn, options.ReferenceLabelColumn);
        var (texts, summary) = PhraseBank.Apply(all, options.ReferenceSubphrases);
        return (Sample(texts, options.ReferenceMaxTexts, options.ReferenceSeed), summary);
    }

    /// <summary>A seeded sample without replacement, in file order; the whole list when it is small enough.</summary>
    public static IReadOnlyList<ReferenceText> Sample(IReadOnlyList<ReferenceText> texts, int max, int seed)
    {
        if (texts.Count <= max)
        {
            return texts;
        }

        var indices = Enumerable.Range(0, texts.Count).ToArray();
        new Random(seed).Shuffle(indices);
        return [.. indices.Take(max).Order().Select(i => texts[i])];
    }

    /// <summary>Scores the texts; the profile, and each text's features and true label (-1 without one) for calibrating the performance estimator.</summary>
    public static ScoredReference Score(
        TextClassifier classifier,
        string source,
        IReadOnlyList<ReferenceText> texts,
        PhraseBankSummary? phraseBank,
        int bins,
        double groupCorrelation,
        DateTimeOffset now,
        Action<int, int> progress,
        Action<int, string> unknownLabels,
        CancellationToken cancellationToken)
    {
        var labels = classifier.Model.Labels;
        var truth = new int[texts.Count];
        var unknown = 0;
        string? example = null;
        for (var i = 0; i < texts.Count; i++)
        {
            var label = texts[i].Label;
            truth[i] = label is null ? -1 : LabelNames.Resolve(label, labels);
            if (label is not null && truth[i] < 0)
            {
                // Not one of the model's labels (another task's labels, say): the text still counts
                // for drift, but not for the performance baseline.
                unknown++;
                example ??= label;
            }
        }

        if (unknown > 0)
        {
            unknownLabels(unknown, example!);
        }

        var vectors = new List<TextFeatureVector>(texts.Count);
        for (var start = 0; start < texts.Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = texts.Skip(start).Take(Chunk).Select(t => t.Text).ToArray();
            var encodings = chunk.Select(classifier.Tokenize).ToArray();
            var results = classifier.Classify(encodings, cancellationToken);
            vectors.AddRange(FeatureExtractor.Extract(classifier, chunk, encodings, results));
            progress(vectors.Count, texts.Count);
        }

        return new ScoredReference(ReferenceProfile.Create(source, now, vectors, labels, truth, bins, phraseBank, groupCorrelation), vectors, truth);
    }
}
