using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ModelMonitor.Bench;

/// <summary>
/// Two builds of the raw runtime (this harness built against two ONNX Runtime packages) side by
/// side: each runs as a child process (<see cref="ServeAsync"/>) that loads the model once, and the
/// two are measured in alternating rounds; medians and the candidate/baseline ratio per model.
/// This is how the ONNX Runtime version was chosen (docs/inference.md).
/// </summary>
internal static class RawAbBenchmark
{
    public static async Task<int> RunAsync(string baselineDll, string candidateDll, string devTsv, int rounds, double seconds, int threads, string[] models)
    {
        var c = CultureInfo.InvariantCulture;
        var (workers, perCall) = ThroughputBenchmark.ThreadSplit(threads);
        var report = new StringBuilder();
        report.AppendLine(string.Create(c, $"Raw runtime A/B: {rounds} alternating rounds of {seconds:F0} s per model, {workers} call(s) at a time of {perCall} intra-op thread(s), all SST-2 dev texts sorted by length in batches of 64; medians (texts/s)."));
        report.AppendLine();
        report.AppendLine("| model | baseline | candidate | baseline texts/s | candidate texts/s | candidate/baseline | median of the rounds' ratios | rounds the candidate won |");
        report.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var model in models)
        {
            var name = Path.GetFileName(model.TrimEnd('/'));
            string[] Arguments(string dll) => [dll, "raw-serve", model, devTsv, threads.ToString(CultureInfo.InvariantCulture)];
            await using var baseline = await Worker.StartAsync(Arguments(baselineDll));
            await using var candidate = await Worker.StartAsync(Arguments(candidateDll));
            await baseline.MeasureAsync(seconds); // warm-up: JIT, ORT's arena and thread pool
            await candidate.MeasureAsync(seconds);
            var a = new List<double>();
            var b = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so a drift in the machine's speed hits both alike.
                var order = round % 2 == 0 ? new[] { (baseline, a), (candidate, b) } : [(candidate, b), (baseline, a)];
                foreach (var (worker, results) in order)
                {
                    results.Add(await worker.MeasureAsync(seconds));
                }

                Console.Error.WriteLine(string.Create(c, $"bench raw-ab: {name} round {round + 1}: baseline {a[^1]:N0} candidate {b[^1]:N0}"));
            }

            // A round's two measurements are back to back, so their ratio cancels the machine's slow drift.
            var (ma, mb) = (Medians.Of(a), Medians.Of(b));
            var ratios = a.Zip(b, (x, y) => y / x).ToList();
            report.AppendLine(string.Create(c, $"| {name} | ORT {baseline.Version} | ORT {candidate.Version} | {ma:N1} | {mb:N1} | **{mb / ma:F3}x** | {Medians.Of(ratios):F3}x | {ratios.Count(r => r > 1)} of {rounds} |"));
        }

        Console.Out.Write(report.ToString());
        return 0;
    }

    /// <summary>The child side: loads the model, prints the ORT version, then answers each line of seconds on stdin with texts/s.</summary>
    public static int Serve(string model, string devTsv, int threads)
    {
        var (workers, perCall) = ThroughputBenchmark.ThreadSplit(threads);
        return RawBestBenchmark.Serve(model, devTsv, new RawSetup(workers, perCall, AllowSpinning: false, BatchSize: 64, SharedPool: false));
    }

    /// <summary>A child harness serving raw measurements over its stdin and stdout.</summary>
    internal sealed class Worker : IAsyncDisposable
    {
        private readonly Process process;

        private Worker(Process process, string version)
        {
            this.process = process;
            Version = version;
        }

        public string Version { get; }

        /// <summary>Starts <c>dotnet</c> with the arguments (the bench dll, then a serving command and its arguments).</summary>
        public static async Task<Worker> StartAsync(string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var version = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"{string.Join(' ', arguments)} exited before loading the model.");
            return new Worker(process, version);
        }

        public async Task<double> MeasureAsync(double seconds)
        {
            await process.StandardInput.WriteLineAsync(seconds.ToString("R", CultureInfo.InvariantCulture));
            await process.StandardInput.FlushAsync();
            var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The raw-serve worker exited.");
            return double.Parse(line, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            process.StandardInput.Close();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
