namespace ModelMonitor.Inference.Classification;

/// <summary>One text's result: the winning label, every label's probability, and how it was tokenized.</summary>
public sealed record Classification(
    int LabelIndex,
    string Label,
    double Score,
    IReadOnlyList<double> Probabilities,
    IReadOnlyList<float> Logits,
    int TokenCount,
    bool Truncated);
