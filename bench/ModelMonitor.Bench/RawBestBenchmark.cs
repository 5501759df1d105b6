using System.Globalization;
using System.Text;

namespace ModelMonitor.Bench;

/// <summary>
/// The service against the best the raw runtime does on this machine. First a search over the raw
/// runtime's setups (<see cref="RawSetup.Grid"/>), each in a fresh child process, since ORT's shared
/// pool is made once per process; then the best setup and the service with its defaults are measured
/// in alternating rounds under each load, and the service/raw ratio of each round is kept.
/// </summary>
internal static class RawBestBenchmark
{
    private static readonly (int Size, int Concurrency)[] Loads = [(1, 32), (16, 32)];

    public static async Task<int> RunAsync(string serviceDll, string devTsv, double seconds, int threads, int rounds, string outputPath, string[] models)
    {
        var c = CultureInfo.InvariantCulture;
        var benchDll = typeof(RawBestBenchmark).Assembly.Location;
        var texts = TsvTexts.Read(devTsv);
        var report = new StringBuilder();
        report.AppendLine(string.Create(c, $"The service against the raw runtime's best setup, one run on this machine ({Environment.ProcessorCount} cores, {threads} threads for both). Raw: all SST-2 dev texts pre-tokenized and sorted by length, whole passes, no HTTP, {seconds:F0} s per setup after a warm-up on the longest and shortest batch. Service: Release build with its defaults (audit in Fsync mode, batching, drift monitor), closed-loop HTTP load. Side by side: {rounds} alternating rounds of {seconds:F0} s per load; the ratio is the median of the rounds' service/raw ratios."));
        foreach (var model in models)
        {
            var name = Path.GetFileName(model.TrimEnd('/'));
            report.AppendLine();
            report.AppendLine(c, $"### {name}");
            report.AppendLine();
            report.AppendLine("Search over the raw runtime's setups (texts/s):");
            report.AppendLine();
            report.AppendLine("| setup | texts/s |");
            report.AppendLine("| --- | ---: |");
            var found = new List<(RawSetup Setup, double TextsPerSecond)>();
            foreach (var setup in RawSetup.Grid(threads))
            {
                await using var worker = await StartAsync(benchDll, model, devTsv, setup);
                await worker.MeasureAsync(0); // JIT, ORT's arena at its largest, the thread pool
                var textsPerSecond = await worker.MeasureAsync(seconds);
                found.Add((setup, textsPerSecond));
                Console.Error.WriteLine(string.Create(c, $"bench raw-best: {name}: {setup}: {textsPerSecond:N1} texts/s"));
            }

            foreach (var (setup, textsPerSecond) in found.OrderByDescending(f => f.TextsPerSecond))
            {
                report.AppendLine(string.Create(c, $"| {setup} | {textsPerSecond:N1} |"));
            }

            var best = found.MaxBy(f => f.TextsPerSecond).Setup;
            report.AppendLine();
            report.AppendLine(c, $"Best raw setup: **{best}**.");
            report.AppendLine();
            report.AppendLine("| texts/request | concurrency | service texts/s | best raw texts/s | service/raw |");
            report.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
            await using var raw = await StartAsync(benchDll, model, devTsv, best);
            await raw.MeasureAsync(0);
            await using var service = await ThroughputBenchmark.Subject.StartAsync("dotnet", [serviceDll, "--urls", "{url}", $"--Model:Path={model}", "--Log:MinimumLevel=Warning", $"--Audit:Directory={Path.Combine(Path.GetTempPath(), "mm-bench-rb-" + Guid.NewGuid().ToString("N"))}"], "/health/ready");
            foreach (var (size, concurrency) in Loads)
            {
                await ThroughputBenchmark.LoadAsync(service.Client, texts, size, concurrency, ThroughputBenchmark.WarmUp(TimeSpan.FromSeconds(seconds)));
                var serviceRates = new List<double>();
                var rawRates = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    // Alternate which goes first, so a drift in the machine's speed hits both alike.
                    if (round % 2 == 0)
                    {
                        rawRates.Add(await raw.MeasureAsync(seconds));
                        serviceRates.Add((await ThroughputBenchmark.LoadAsync(service.Client, texts, size, concurrency, TimeSpan.FromSeconds(seconds))).TextsPerSecond);
                    }
                    else
                    {
                        serviceRates.Add((await ThroughputBenchmark.LoadAsync(service.Client, texts, size, concurrency, TimeSpan.FromSeconds(seconds))).TextsPerSecond);
                        rawRates.Add(await raw.MeasureAsync(seconds));
                    }

                    Console.Error.WriteLine(string.Create(c, $"bench raw-best: {name} {size} x {concurrency} round {round + 1}: service {serviceRates[^1]:N1} raw {rawRates[^1]:N1}"));
                }

                var ratio = Medians.Of(serviceRates.Zip(rawRates, (s, r) => s / r).ToList());
                report.AppendLine(string.Create(c, $"| {size} | {concurrency} | {Medians.Of(serviceRates):N1} | {Medians.Of(rawRates):N1} | **{ratio:F2}** |"));
            }
        }

        await File.WriteAllTextAsync(outputPath, report.ToString());
        Console.Out.Write(report.ToString());
        return 0;
    }

    /// <summary>The child side: loads the model with the setup, prints the ORT version, then answers each line of seconds with texts/s (0: warms up).</summary>
    public static int Serve(string model, string devTsv, RawSetup setup)
    {
        var texts = TsvTexts.Read(devTsv);
        using var runner = new ThroughputBenchmark.RawRunner(model, texts, setup);
        Console.Out.WriteLine(ModelMonitor.Inference.Onnx.OnnxRuntimeEnvironment.RuntimeVersion);
        while (Console.In.ReadLine() is { } line)
        {
            var seconds = double.Parse(line, CultureInfo.InvariantCulture);
            if (seconds == 0)
            {
                runner.WarmUp();
                Console.Out.WriteLine("0");
                continue;
            }

            Console.Out.WriteLine(runner.Measure(TimeSpan.FromSeconds(seconds)).ToString("R", CultureInfo.InvariantCulture));
        }

        return 0;
    }

    private static Task<RawAbBenchmark.Worker> StartAsync(string benchDll, string model, string devTsv, RawSetup setup) =>
        RawAbBenchmark.Worker.StartAsync([benchDll, "raw-setup", model, devTsv, .. setup.ToArguments()]);

}
