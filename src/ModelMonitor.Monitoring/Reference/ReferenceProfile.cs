using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Monitoring.Reference;

/// <summary>What the score features (confidence, margin, entropy) are compared with.</summary>
public enum ScoreSource
{
    /// <summary>The reference texts' own scores: right when the model never saw those texts.</summary>
    Reference,

    /// <summary>Waiting for the first live predictions to become the score reference; score features are not judged yet.</summary>
    AwaitingLive,

    /// <summary>The first live predictions' scores (<see cref="ReferenceProfile.LiveScores"/>).</summary>
    Live,
}

/// <summary>
/// The reference, scored once and frozen: each numeric feature sorted and binned, each categorical
/// feature counted, and the model's performance on the labelled part. Immutable, so evaluations can
/// read it while a new one is being built.
/// </summary>
public sealed class ReferenceProfile
{
    private readonly Dictionary<string, FrozenNumericReference> numeric;
    private readonly Dictionary<string, IReadOnlyDictionary<string, long>> categorical;

    private ReferenceProfile(
        string source,
        DateTimeOffset createdAt,
        int count,
        IReadOnlyList<string> labels,
        Dictionary<string, FrozenNumericReference> numeric,
        Dictionary<string, IReadOnlyDictionary<string, long>> categorical,
        PerformanceSnapshot? performance,
        PhraseBankSummary? phraseBank,
        int bins,
        ScoreSource scores,
        ScoreSample? liveScores,
        IReadOnlyList<IReadOnlyList<string>> groups)
    {
        Groups = groups;
        Source = source;
        CreatedAt = createdAt;
        Count = count;
        Labels = labels;
        this.numeric = numeric;
        this.categorical = categorical;
        Performance = performance;
        PhraseBank = phraseBank;
        Bins = bins;
        Scores = scores;
        LiveScores = liveScores;
    }

    /// <summary>The <see cref="Source"/> of a reference frozen from live predictions.</summary>
    public const string LiveSource = "live";

    /// <summary>Where the reference came from: a file path, <c>live</c>, or <c>request</c>.</summary>
    public string Source { get; }

    public DateTimeOffset CreatedAt { get; }

    public int Count { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>The model's performance on the labelled reference texts, or null when none had labels.</summary>
    public PerformanceSnapshot? Performance { get; }

    public PhraseBankSummary? PhraseBank { get; }

    /// <summary>Quantile bins per numeric feature.</summary>
    public int Bins { get; }

    /// <summary>Where the score features' reference comes from.</summary>
    public ScoreSource Scores { get; }

    /// <summary>
    /// The signal groups: features that measure the same thing on this reference (see
    /// <see cref="SignalGroups"/>), inputs and outputs grouped apart; every categorical feature alone.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Groups { get; }

    /// <summary>The group a feature belongs to, by index into <see cref="Groups"/>.</summary>
    public int GroupOf(string feature)
    {
        for (var i = 0; i < Groups.Count; i++)
        {
            if (Groups[i].Contains(feature))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a monitored feature.");
    }

    /// <summary>The live score reference when <see cref="Scores"/> is <see cref="ScoreSource.Live"/>.</summary>
    public ScoreSample? LiveScores { get; }

    /// <summary>The same reference under another creation time: replicas that scored the same file at different moments agree on one.</summary>
    public ReferenceProfile Restamped(DateTimeOffset createdAt) =>
        new(Source, createdAt, Count, Labels, numeric, categorical, Performance, PhraseBank, Bins, Scores, LiveScores, Groups);

    /// <summary>The same reference, with the score features waiting for a live score reference.</summary>
    public ReferenceProfile AwaitLiveScores() =>
        new(Source, CreatedAt, Count, Labels, numeric, categorical, Performance, PhraseBank, Bins, ScoreSource.AwaitingLive, null, Groups);

    /// <summary>The same reference, with the score features frozen from <paramref name="sample"/> instead of the reference texts.</summary>
    public ReferenceProfile WithLiveScores(ScoreSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count == 0)
        {
            throw new StatisticsInputException("A score reference needs at least one prediction.");
        }

        var replaced = new Dictionary<string, FrozenNumericReference>(numeric, StringComparer.Ordinal);
        foreach (var feature in FeatureNames.Scores)
        {
            replaced[feature] = FrozenNumericReference.Create(feature, [.. sample.Values(feature)], Bins);
        }

        return new(Source, CreatedAt, Count, Labels, replaced, categorical, Performance, PhraseBank, Bins, ScoreSource.Live, sample, Groups);
    }

    public FrozenNumericReference Numeric(string feature) => numeric[feature];

    public IReadOnlyDictionary<string, long> Categories(string feature) => categorical[feature];

    /// <summary>Freezes scored reference texts. <paramref name="truth"/> holds a label index per text, or -1 where it has none.</summary>
    public static ReferenceProfile Create(
        string source,
        DateTimeOffset createdAt,
        IReadOnlyList<TextFeatureVector> vectors,
        IReadOnlyList<string> labels,
        ReadOnlySpan<int> truth,
        int bins,
        PhraseBankSummary? phraseBank = null,
        double groupCorrelation = SignalGrouping.DefaultCorrelation)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(labels);
        if (vectors.Count == 0)
        {
            throw new StatisticsInputException("A reference needs at least one scored text.");
        }

        if (!truth.IsEmpty && truth.Length != vectors.Count)
        {
            throw new ArgumentException("One true label (or -1) per reference text.", nameof(truth));
        }

        var groups = DeriveGroups(vectors, groupCorrelation);
        var values = new double[vectors.Count];
        var numeric = new Dictionary<string, FrozenNumericReference>(StringComparer.Ordinal);
        foreach (var feature in FeatureNames.Numeric)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = vectors[i].Numeric(feature);
            }

            numeric[feature] = FrozenNumericReference.Create(feature, values, bins);
        }

        var categorical = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var feature in FeatureNames.Categorical)
        {
            categorical[feature] = Statistics.Categories.Count(vectors.Select(v => v.Category(feature, labels)));
        }

        var labelledTruth = new List<int>();
        var labelledPredicted = new List<int>();
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] >= 0)
            {
                labelledTruth.Add(truth[i]);
                labelledPredicted.Add(vectors[i].PredictedLabel);
            }
        }

        var performance = labelledTruth.Count > 0
            ? PerformanceSnapshot.Compute([.. labelledTruth], [.. labelledPredicted], labels.Count)
            : null;
        return new ReferenceProfile(source, createdAt, vectors.Count, [.. labels], numeric, categorical, performance, phraseBank, bins, ScoreSource.Reference, null, groups);
    }

    /// <summary>Most reference texts the correlations are computed on (an even stride through a larger reference).</summary>
    private const int GroupSample = 5000;

    private static IReadOnlyList<IReadOnlyList<string>> DeriveGroups(IReadOnlyList<TextFeatureVector> vectors, double threshold)
    {
        var step = Math.Max(1, vectors.Count / GroupSample);
        var rows = Enumerable.Range(0, vectors.Count / step).Select(i => vectors[i * step]).ToArray();
        IReadOnlyList<IReadOnlyList<string>> Numeric(IEnumerable<string> features)
        {
            string[] names = [.. features.Where(FeatureNames.Numeric.Contains)];
            return SignalGroups.Derive(names, [.. names.Select(n => rows.Select(r => r.Numeric(n)).ToArray())], threshold);
        }

        return [.. Numeric(FeatureNames.Inputs), .. Numeric(FeatureNames.Outputs), .. FeatureNames.Categorical.Select(c => (IReadOnlyList<string>)[c])];
    }
}
