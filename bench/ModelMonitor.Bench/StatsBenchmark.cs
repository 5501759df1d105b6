using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelMonitor.Statistics;

namespace ModelMonitor.Bench;

/// <summary>
/// Writes a reference/current pair to a binary file (so SciPy can time the very same values) and
/// times each statistic on it: the median of several runs after a warm-up, input copying and
/// sorting included, as SciPy's own functions sort too.
/// </summary>
internal static class StatsBenchmark
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(int size, int repeat, string dataFile, string outputFile)
    {
        var (reference, current) = Generate(size);
        WriteData(dataFile, reference, current);
        Console.Error.WriteLine($"bench: {size:N0} vs {size:N0} values written to {dataFile}");

        var categoriesReference = reference.Select(v => Category(v)).ToArray();
        var categoriesCurrent = current.Select(v => Category(v)).ToArray();
        var results = new Dictionary<string, object>(StringComparer.Ordinal);
        results["ks"] = Time("ks", repeat, () => KolmogorovSmirnov.TwoSample(reference, current).PValue);
        results["wasserstein"] = Time("wasserstein", repeat, () => Wasserstein.Distance(reference, current));
        results["psi"] = Time("psi", repeat, () => PopulationStability.Numeric(reference, current).Psi);
        results["jensenshannon"] = Time("jensenshannon", repeat, () =>
        {
            var bins = QuantileBins.FromReference(reference, PopulationStability.DefaultBins);
            return JensenShannon.Distance(bins.Count(reference), bins.Count(current));
        });
        results["chi2"] = Time("chi2", repeat, () =>
        {
            var left = new double[20];
            var right = new double[20];
            foreach (var c in categoriesReference)
            {
                left[c]++;
            }

            foreach (var c in categoriesCurrent)
            {
                right[c]++;
            }

            return ChiSquare.Homogeneity(left, right).PValue;
        });

        File.WriteAllText(outputFile, JsonSerializer.Serialize(new { implementation = "dotnet", runtime = Environment.Version.ToString(), size, repeat, results }, Indented));
        Console.Error.WriteLine($"bench: wrote {outputFile}");
        return 0;
    }

    /// <summary>The category the chi-square benchmark uses: 20 equal-width bins over the data's range.</summary>
    private static int Category(double value) => Math.Clamp((int)Math.Floor((value + 4) * 2.5), 0, 19);

    private static (double[] Reference, double[] Current) Generate(int size)
    {
        var random = new Random(20261122);
        var reference = new double[size];
        var current = new double[size];
        for (var i = 0; i < size; i++)
        {
            reference[i] = Normal(random);
            current[i] = Normal(random) + 0.01;
        }

        return (reference, current);
    }

    private static double Normal(Random random)
    {
        // Box-Muller; the benchmark needs realistic continuous data, not bit-reproducibility.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void WriteData(string path, double[] reference, double[] current)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write((long)reference.Length);
        writer.Write((long)current.Length);
        foreach (var value in reference)
        {
            writer.Write(value);
        }

        foreach (var value in current)
        {
            writer.Write(value);
        }
    }

    private static object Time(string name, int repeat, Func<double> action)
    {
        var value = action(); // warm-up (JIT, tiering)
        action();
        var seconds = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            value = action();
            seconds[i] = watch.Elapsed.TotalSeconds;
        }

        Array.Sort(seconds);
        var median = seconds[repeat / 2];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench: {name,-14} median {median * 1000,9:F1} ms  (value {value:R})"));
        return new { median_seconds = median, runs = seconds, value };
    }
}
