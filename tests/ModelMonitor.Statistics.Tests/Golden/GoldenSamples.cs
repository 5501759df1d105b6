using System.Text.Json;

namespace ModelMonitor.Statistics.Tests.Golden;

/// <summary>
/// Rebuilds the samples named in stats.json bit for bit, with the same SplitMix64 stream as
/// tools/stats-golden/generate.py. Every value is an integer over a power of two, so no libm is involved.
/// </summary>
internal static class GoldenSamples
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "stats.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string name) => Root.GetProperty(name).EnumerateArray();

    public static double[] Sample(string kind, int n, ulong seed, double shift)
    {
        var rng = new SplitMix64(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = kind switch
            {
                "continuous" => ((rng.Next() >> 44) + (rng.Next() >> 44) + (rng.Next() >> 44) + (rng.Next() >> 44)) / 1048576.0 + shift,
                "tied" => (rng.Next() >> 61) + shift,
                "coarse" => ((rng.Next() >> 60) / 4.0) + shift,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }

        return values;
    }

    public static (double[] A, double[] B) Pair(JsonElement c) => (
        Sample(c.GetProperty("kind").GetString()!, c.GetProperty("n1").GetInt32(), c.GetProperty("seed1").GetUInt64(), 0.0),
        Sample(c.GetProperty("kind").GetString()!, c.GetProperty("n2").GetInt32(), c.GetProperty("seed2").GetUInt64(), c.GetProperty("shift").GetDouble()));

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string Describe(JsonElement c) =>
        c.TryGetProperty("kind", out var kind)
            ? $"{kind.GetString()} n1={c.GetProperty("n1")} n2={c.GetProperty("n2")} shift={c.GetProperty("shift")}"
            : c.ToString()[..Math.Min(120, c.ToString().Length)];

    private struct SplitMix64(ulong seed)
    {
        private ulong state = seed;

        public ulong Next()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
