using ModelMonitor.Inference.Classification;

namespace ModelMonitor.Service.Contracts;

/// <summary>One text's labels and scores, highest first, as Hugging Face's text classification answers.</summary>
internal static class LabelScores
{
    public static LabelScore[] Of(Classification result, IReadOnlyList<string> labels, ScoreFunction function, int? topK)
    {
        var scores = new LabelScore[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            scores[i] = new LabelScore(labels[i], function switch
            {
                ScoreFunction.Softmax => result.Probabilities[i],
                ScoreFunction.Sigmoid => 1 / (1 + Math.Exp(-result.Logits[i])),
                _ => result.Logits[i],
            });
        }

        // A stable sort: equal scores keep the model's label order.
        var sorted = scores.OrderByDescending(s => s.Score).ToArray();
        return topK is { } k && k < sorted.Length ? sorted[..k] : sorted;
    }
}
