namespace ModelMonitor.Statistics;

/// <summary>
/// Summation in exactly numpy's order: the array in buffers of 8,192 values added in turn, each
/// buffer summed pairwise with an 8-way unrolled base case. Matching the order makes results agree
/// with SciPy to the last bit where sums cancel (Jensen-Shannon on nearly equal distributions).
/// </summary>
public static class NumpySum
{
    public const int BufferSize = 8192;
    private const int BlockSize = 128;

    public static double Sum(ReadOnlySpan<double> values)
    {
        var total = 0.0;
        for (var start = 0; start < values.Length; start += BufferSize)
        {
            total += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        }

        return total;
    }

    /// <summary>numpy's pairwise_sum for one buffer.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += a[i];
            }

            return sum;
        }

        if (n <= BlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                result += a[i];
            }

            return result;
        }

        var half = n / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }

    /// <summary>Accumulates a stream of terms in numpy's order without storing them all.</summary>
    public sealed class Accumulator
    {
        private readonly double[] buffer = new double[BufferSize];
        private int count;
        private double total;

        public void Add(double value)
        {
            buffer[count++] = value;
            if (count == BufferSize)
            {
                total += Pairwise(buffer);
                count = 0;
            }
        }

        public double Total => total + Pairwise(buffer.AsSpan(0, count));
    }
}
