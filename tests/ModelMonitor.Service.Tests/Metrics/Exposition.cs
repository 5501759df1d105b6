using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelMonitor.Service.Tests.Metrics;

/// <summary>Reads a Prometheus text exposition (format 0.0.4): its samples and each family's declared type.</summary>
internal static partial class Exposition
{
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"le=""(?<le>[^""]+)""")]
    private static partial Regex LeLabel();

    /// <summary>Each sample's value by its name and labels as written (<c>name{a="1",b="2"}</c>).</summary>
    public static Dictionary<string, double> Samples(string exposition) =>
        SampleLine().Matches(exposition).ToDictionary(
            m => m.Groups["labels"].Success ? $"{m.Groups["name"].Value}{{{m.Groups["labels"].Value}}}" : m.Groups["name"].Value,
            m => m.Groups["value"].Value switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, "NaN" => double.NaN, var v => double.Parse(v, CultureInfo.InvariantCulture) });

    /// <summary>Each family's type from its TYPE line.</summary>
    public static Dictionary<string, string> Types(string exposition) =>
        Lines(exposition, "# TYPE ").ToDictionary(l => l.Split(' ')[2], l => l.Split(' ')[3], StringComparer.Ordinal);

    /// <summary>The upper bounds of a histogram's buckets, +Inf included, in the order written.</summary>
    public static string[] BucketBounds(string exposition, string histogram) =>
        [.. SampleLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == histogram + "_bucket")
            .Select(m => LeLabel().Match(m.Groups["labels"].Value).Groups["le"].Value)
            .Distinct()];

    /// <summary>The sum of a metric's samples over all its label sets.</summary>
    public static double Sum(Dictionary<string, double> samples, string name) =>
        samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(s => s.Value);

    public static IEnumerable<string> Lines(string exposition, string prefix) =>
        exposition.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));
}
