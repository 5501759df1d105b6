namespace ModelMonitor.Statistics;

/// <summary>
/// A double-double accumulator (about 32 significant digits) for sums whose terms are large and
/// nearly cancel, such as the logarithms of Birnbaum-Tingey terms at n = 10⁵ and beyond.
/// </summary>
internal struct DoubleDouble
{
    private double hi;
    private double lo;

    public readonly double Value => hi + lo;

    public void Add(double value)
    {
        var (sum, error) = TwoSum(hi, value);
        error += lo;
        hi = sum + error;
        lo = error - (hi - sum);
    }

    /// <summary>Adds a·b exactly (the product's rounding error is kept through a fused multiply-add).</summary>
    public void AddProduct(double a, double b)
    {
        var product = a * b;
        var error = Math.FusedMultiplyAdd(a, b, -product);
        Add(product);
        Add(error);
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        var sum = a + b;
        var bVirtual = sum - a;
        var aVirtual = sum - bVirtual;
        return (sum, (a - aVirtual) + (b - bVirtual));
    }
}
