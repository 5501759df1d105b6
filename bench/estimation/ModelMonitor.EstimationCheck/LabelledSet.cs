using ModelMonitor.Inference.Classification;

namespace ModelMonitor.EstimationCheck;

/// <summary>Predictions of the model with their true labels: what the estimator is fitted and judged on.</summary>
internal sealed record LabelledSet(IReadOnlyList<IReadOnlyList<double>> Probabilities, int[] Predicted, int[] Truth, string[] Texts, int[] Tokens)
{
    public int Count => Predicted.Length;

    /// <summary>Classifies a two-column TSV (text, label index) with the model.</summary>
    public static LabelledSet Classify(TextClassifier classifier, string tsv)
    {
        var rows = File.ReadAllLines(tsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToArray();
        return Classify(classifier, [.. rows.Select(r => r[0])], [.. rows.Select(r => int.Parse(r[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))]);
    }

    public static LabelledSet Classify(TextClassifier classifier, string[] texts, int[] truth)
    {
        var results = classifier.Classify(texts);
        return new LabelledSet(
            [.. results.Select(r => r.Probabilities)],
            [.. results.Select(r => r.LabelIndex)],
            truth,
            texts,
            [.. results.Select(r => r.TokenCount)]);
    }

    /// <summary>The rows at the given positions.</summary>
    public LabelledSet Take(IReadOnlyList<int> positions) => new(
        [.. positions.Select(i => Probabilities[i])],
        [.. positions.Select(i => Predicted[i])],
        [.. positions.Select(i => Truth[i])],
        [.. positions.Select(i => Texts[i])],
        [.. positions.Select(i => Tokens[i])]);

    /// <summary>The quarter with the most tokens (<paramref name="longest"/>) or the fewest; ties broken by position.</summary>
    public LabelledSet Quarter(bool longest)
    {
        var order = Enumerable.Range(0, Count).OrderBy(i => longest ? -Tokens[i] : Tokens[i]).ThenBy(i => i).ToArray();
        return Take(order[..(Count / 4)]);
    }

    /// <summary>The rows whose true label is <paramref name="label"/>.</summary>
    public LabelledSet WithTruth(int label) => Take([.. Enumerable.Range(0, Count).Where(i => Truth[i] == label)]);

    /// <summary>Even rows and odd rows: two halves with the same mix, fixed for every run.</summary>
    public (LabelledSet Even, LabelledSet Odd) Halves() => (
        Take([.. Enumerable.Range(0, Count).Where(i => i % 2 == 0)]),
        Take([.. Enumerable.Range(0, Count).Where(i => i % 2 == 1)]));
}
