namespace ModelMonitor.Statistics.Tests.Golden;

/// <summary>The parity bar: statistics within 1e-12 relative, p-values within 1e-9 relative (1e-300 absolute where they underflow).</summary>
internal static class Tolerance
{
    public const double Statistic = 1e-12;
    public const double PValue = 1e-9;
    public const double Underflow = 1e-300;

    public static bool Close(double expected, double actual, double relative, double absolute = 0)
    {
        if (expected == actual)
        {
            return true;
        }

        var difference = Math.Abs(expected - actual);
        return difference <= absolute || difference <= relative * Math.Abs(expected);
    }

    public static string Report(string what, double expected, double actual) =>
        FormattableString.Invariant($"{what}: expected {expected:R}, got {actual:R} (relative {Math.Abs(expected - actual) / Math.Abs(expected):E2})");
}
