namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Expected calibration error: the mean, over bins of predictions, of |observed rate − mean score|,
/// each bin weighted by its share of the predictions. 0 is perfect calibration.
/// </summary>
public static class ExpectedCalibrationError
{
    /// <summary>The default number of bins.</summary>
    public const int DefaultBins = 10;

    /// <summary>
    /// Equal-width bins over [0, 1], binned as scikit-learn's <c>calibration_curve(strategy="uniform")</c>:
    /// bin 0 is [0, 1/b], bin i is (i/b, (i+1)/b]. Empty bins count for nothing.
    /// </summary>
    public static double EqualWidth(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, int bins = DefaultBins)
    {
        Check(scores, outcomes, bins);
        var step = 1.0 / bins;
        var total = new long[bins];
        var scoreSums = new double[bins];
        var outcomeSums = new double[bins];
        for (var i = 0; i < scores.Length; i++)
        {
            // searchsorted(linspace(0, 1, b + 1)[1:-1], score, side="left"): how many interior edges lie below.
            var bin = 0;
            while (bin < bins - 1 && (bin + 1) * step < scores[i])
            {
                bin++;
            }

            total[bin]++;
            scoreSums[bin] += scores[i];
            outcomeSums[bin] += outcomes[i] ? 1 : 0;
        }

        var terms = new double[bins];
        for (var b = 0; b < bins; b++)
        {
            if (total[b] > 0)
            {
                terms[b] = (double)total[b] / scores.Length * Math.Abs((outcomeSums[b] / total[b]) - (scoreSums[b] / total[b]));
            }
        }

        return NumpySum.Sum(terms);
    }

    /// <summary>
    /// Equal-count bins, as NannyML's <c>_calculate_expected_calibration_error</c> with
    /// <c>_get_bin_index_edges</c>: predictions sorted by score (ties keep their input order) and cut
    /// at every ⌊n / b⌋-th position, the last bin taking the remainder; fewer bins when n ≤ 2b.
    /// </summary>
    public static double EqualCount(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, int bins = DefaultBins)
    {
        Check(scores, outcomes, bins);
        var n = scores.Length;
        if (n <= 2 * bins)
        {
            bins = n / 2;
            if (bins < 2)
            {
                throw new StatisticsInputException($"Equal-count calibration error needs at least 2 bins of 2 predictions; got {n} predictions.");
            }
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        var width = n / bins;
        var edges = new List<int>();
        for (var edge = 0; edge <= n; edge += width)
        {
            edges.Add(edge);
        }

        edges[^1] = n;
        var terms = new double[edges.Count - 1];
        for (var e = 0; e + 1 < edges.Count; e++)
        {
            var count = edges[e + 1] - edges[e];
            var binScores = new double[count];
            var binOutcomes = new double[count];
            for (var j = 0; j < count; j++)
            {
                binScores[j] = scores[order[edges[e] + j]];
                binOutcomes[j] = outcomes[order[edges[e] + j]] ? 1 : 0;
            }

            terms[e] = (double)count / n * Math.Abs(Descriptive.Mean(binScores) - Descriptive.Mean(binOutcomes));
        }

        return NumpySum.Sum(terms);
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, int bins)
    {
        if (scores.Length != outcomes.Length)
        {
            throw new StatisticsInputException($"{scores.Length} scores but {outcomes.Length} outcomes.");
        }

        if (bins < 1)
        {
            throw new StatisticsInputException($"Calibration error needs at least one bin; got {bins}.");
        }

        SampleGuard.RequireFinite(scores, "score", "calibration");
        foreach (var score in scores)
        {
            if (score is < 0 or > 1)
            {
                throw new StatisticsInputException($"Calibration error needs scores in [0, 1]; got {score}.");
            }
        }
    }
}
