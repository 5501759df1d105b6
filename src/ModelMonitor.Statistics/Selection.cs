namespace ModelMonitor.Statistics;

/// <summary>
/// Multi-target quickselect: rearranges an array so that each requested position holds the value a
/// full sort would put there, without sorting the rest. O(n log k) for k targets.
/// </summary>
internal static class Selection
{
    private const int InsertionSortThreshold = 16;

    /// <summary>Places the order statistics at every position in <paramref name="sortedPositions"/>.</summary>
    public static void SelectMany(double[] values, int[] sortedPositions) =>
        Select(values, 0, values.Length - 1, sortedPositions, 0, sortedPositions.Length - 1);

    private static void Select(double[] values, int lo, int hi, int[] targets, int firstTarget, int lastTarget)
    {
        while (firstTarget <= lastTarget && lo < hi)
        {
            if (hi - lo < InsertionSortThreshold)
            {
                Array.Sort(values, lo, hi - lo + 1);
                return;
            }

            var (lessEnd, greaterStart) = Partition(values, lo, hi);

            // Targets left of the pivot block, inside it (done), and right of it.
            var split = firstTarget;
            while (split <= lastTarget && targets[split] < lessEnd)
            {
                split++;
            }

            var rightStart = split;
            while (rightStart <= lastTarget && targets[rightStart] < greaterStart)
            {
                rightStart++;
            }

            // Recurse into the smaller side, loop on the larger, to bound the stack.
            if (split - firstTarget < lastTarget - rightStart + 1)
            {
                Select(values, lo, lessEnd - 1, targets, firstTarget, split - 1);
                lo = greaterStart;
                firstTarget = rightStart;
            }
            else
            {
                Select(values, greaterStart, hi, targets, rightStart, lastTarget);
                hi = lessEnd - 1;
                lastTarget = split - 1;
            }
        }
    }

    /// <summary>Three-way partition around a median-of-three pivot: [lo, lessEnd) &lt; pivot, [lessEnd, greaterStart) == pivot.</summary>
    private static (int LessEnd, int GreaterStart) Partition(double[] values, int lo, int hi)
    {
        var mid = lo + ((hi - lo) >> 1);
        var pivot = MedianOfThree(values[lo], values[mid], values[hi]);
        int lt = lo, i = lo, gt = hi;
        while (i <= gt)
        {
            var value = values[i];
            if (value < pivot)
            {
                (values[lt], values[i]) = (values[i], values[lt]);
                lt++;
                i++;
            }
            else if (value > pivot)
            {
                (values[i], values[gt]) = (values[gt], values[i]);
                gt--;
            }
            else
            {
                i++;
            }
        }

        return (lt, gt + 1);
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
