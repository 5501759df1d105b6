namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Random train/test splits that keep the outcome mix, like scikit-learn's
/// <c>StratifiedShuffleSplit</c>: in every split each outcome gives round(fraction × its count)
/// predictions (at least one, leaving at least one) to the test side. Seeded, so reproducible;
/// the draws are not numpy's.
/// </summary>
internal static class StratifiedSplits
{
    public static IEnumerable<(int[] Train, int[] Test)> Create(ReadOnlySpan<bool> outcomes, int splits, double fraction, int seed)
    {
        var positives = new List<int>();
        var negatives = new List<int>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            (outcomes[i] ? positives : negatives).Add(i);
        }

        var random = new Random(seed);
        var result = new List<(int[], int[])>(splits);
        for (var s = 0; s < splits; s++)
        {
            var train = new List<int>();
            var test = new List<int>();
            foreach (var group in (List<int>[])[negatives, positives])
            {
                var shuffled = group.ToArray();
                random.Shuffle(shuffled);
                var testCount = Math.Clamp((int)Math.Round(fraction * shuffled.Length, MidpointRounding.ToEven), 1, shuffled.Length - 1);
                test.AddRange(shuffled.AsSpan(0, testCount));
                train.AddRange(shuffled.AsSpan(testCount));
            }

            result.Add(([.. train], [.. test]));
        }

        return result;
    }
}
