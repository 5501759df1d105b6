namespace ModelMonitor.Statistics;

/// <summary>
/// Area under the ROC curve, as <c>sklearn.metrics.roc_auc_score</c> for a binary outcome: the
/// Mann-Whitney statistic with tied scores given their average rank.
/// </summary>
public static class RocAuc
{
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
        {
            throw new StatisticsInputException($"{scores.Length} scores but {positive.Length} outcomes.");
        }

        SampleGuard.RequireFinite(scores, "score", "roc");
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double positives = 0, rankSum = 0;
        for (var start = 0; start < keys.Length;)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var j = start; j <= end; j++)
            {
                if (positive[order[j]])
                {
                    positives++;
                    rankSum += averageRank;
                }
            }

            start = end + 1;
        }

        var negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new StatisticsInputException("ROC AUC needs both outcomes among the labels.");
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
