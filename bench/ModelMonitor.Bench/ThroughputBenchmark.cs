using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Native;

namespace ModelMonitor.Bench;

/// <summary>
/// Three subjects on the same machine in one run, per model: the raw runtime (our ORT binding on
/// pre-tokenized, length-sorted batches, no HTTP), the service under concurrent HTTP load, and the
/// transformers.js peer under the same load, all with the same intra-op threads and texts.
/// </summary>
internal static class ThroughputBenchmark
{
    private static readonly int[] Concurrency = [1, 8, 32, 64];
    private static readonly int[] TextsPerRequest = [1, 16];

    public static async Task<int> RunAsync(string serviceDll, string peerDirectory, string devTsv, string[] models, double seconds, int threads, string outputFile)
    {
        var c = CultureInfo.InvariantCulture;
        var texts = File.ReadAllLines(devTsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[0]).ToArray();
        var duration = TimeSpan.FromSeconds(seconds);
        var report = new StringBuilder();
        report.AppendLine(string.Create(c, $"Throughput, one run on this machine ({Environment.ProcessorCount} cores), SST-2 dev sentences, {threads} intra-op thread(s) for every subject, {seconds:F0} s per measurement."));
        foreach (var model in models)
        {
            var name = Path.GetFileName(model.TrimEnd('/'));
            Console.Error.WriteLine($"bench: {name}: raw runtime");
            using var rawRunner = new RawRunner(model, texts, threads);
            var raw = rawRunner.Measure(duration);

            // This machine's speed drifts (other tenants' CPU steal), so each service measurement at
            // concurrency 32 is bracketed by raw measurements and compared with their mean.
            var bracketed = new Dictionary<int, double>();
            report.AppendLine();
            report.AppendLine(string.Create(c, $"### {name}"));
            report.AppendLine();
            report.AppendLine(string.Create(c, $"Raw runtime (our binding, all texts sorted by length in batches of 64, whole passes over the set, no HTTP): **{raw:N0} texts/s**."));
            report.AppendLine();
            report.AppendLine("| subject | texts/request | concurrency | texts/s | p50 ms | p99 ms | CPU (cores) | peak RSS MB | refused (429/503) |");
            report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var rows = new List<Row>();
            foreach (var subject in new[] { "service", "peer" })
            {
                await using var process = subject == "service"
                    ? await Subject.StartAsync("dotnet", [serviceDll, "--urls", "{url}", $"--Model:Path={model}", $"--OnnxRuntime:IntraOpThreads={threads}", "--Log:MinimumLevel=Warning", $"--Audit:Directory={Path.Combine(Path.GetTempPath(), "mm-bench-tp-" + Guid.NewGuid().ToString("N"))}"], "/health/ready")
                    : await Subject.StartAsync("node", [Path.Combine(peerDirectory, "server.mjs"), model, "{port}", threads.ToString(c)], "/");
                foreach (var size in TextsPerRequest)
                {
                    await LoadAsync(process.Client, texts, size, 4, TimeSpan.FromSeconds(1)); // warm-up
                    foreach (var concurrency in Concurrency)
                    {
                        var bracket = subject == "service" && concurrency == 32;
                        var rawBefore = bracket ? rawRunner.Measure(duration) : 0;
                        var cpuBefore = process.CpuSeconds();
                        var (textsPerSecond, p50, p99, wall, refused) = await LoadAsync(process.Client, texts, size, concurrency, duration);
                        var cores = (process.CpuSeconds() - cpuBefore) / wall;
                        if (bracket)
                        {
                            bracketed[size] = (rawBefore + rawRunner.Measure(duration)) / 2;
                        }

                        var row = new Row(subject, size, concurrency, textsPerSecond, p50, p99, cores, process.PeakRssMegabytes());
                        rows.Add(row);
                        Console.Error.WriteLine(string.Create(c, $"bench: {name} {subject} {size} text(s) x {concurrency}: {textsPerSecond:N0} texts/s p50 {p50:F1} ms p99 {p99:F1} ms"));
                        report.AppendLine(string.Create(c, $"| {subject} | {size} | {concurrency} | {textsPerSecond:N0} | {p50:F1} | {p99:F1} | {cores:F2} | {row.RssMb:N0} | {refused} |"));
                    }
                }
            }

            report.AppendLine();
            foreach (var size in TextsPerRequest)
            {
                var service = rows.First(r => r.Subject == "service" && r.Size == size && r.Concurrency == 32);
                var peer = rows.First(r => r.Subject == "peer" && r.Size == size && r.Concurrency == 32);
                report.AppendLine(string.Create(c, $"- {size} text(s)/request at concurrency 32: service/raw **{service.TextsPerSecond / bracketed[size]:P0}** (raw measured just before and after: {bracketed[size]:N0} texts/s), service/peer **{service.TextsPerSecond / peer.TextsPerSecond:F2}x**."));
            }

            var serviceRows = rows.Where(r => r.Subject == "service").ToArray();
            var peak = serviceRows.MaxBy(r => r.TextsPerSecond)!;
            var half = serviceRows.Where(r => r.Size == peak.Size && r.Concurrency <= Math.Max(1, peak.Concurrency / 2)).MaxBy(r => r.Concurrency)!;
            report.AppendLine(string.Create(c, $"- Service peak {peak.TextsPerSecond:N0} texts/s ({peak.Size} text(s) x {peak.Concurrency}); at half that concurrency ({half.Concurrency}) p99/p50 = **{half.P99 / half.P50:F2}**. Peak RSS {serviceRows.Max(r => r.RssMb):N0} MB (peer {rows.Where(r => r.Subject == "peer").Max(r => r.RssMb):N0} MB)."));
        }

        File.WriteAllText(outputFile, report.ToString());
        Console.Out.Write(report.ToString());
        return 0;
    }

    private sealed record Row(string Subject, int Size, int Concurrency, double TextsPerSecond, double P50, double P99, double Cores, double RssMb);

    /// <summary>
    /// The raw runtime: the same session settings as the service's defaults, and the batching the
    /// service does at its best: every text sorted by length, cut into calls of 64.
    /// </summary>
    private sealed class RawRunner : IDisposable
    {
        private readonly TextClassifier classifier;
        private readonly ModelMonitor.Inference.Tokenization.TokenizerEncoding[][] batches;

        public RawRunner(string model, string[] texts, int threads)
        {
            classifier = TextClassifier.Load(ModelFolder.Open(model), new ClassifierSettings { Session = new OnnxSessionSettings { IntraOpThreads = threads, InterOpThreads = 1, AllowSpinning = false } });
            batches = [.. texts.Select(classifier.Tokenize).OrderBy(e => e.Length).Chunk(64)];
            classifier.Classify(batches[0]);
        }

        /// <summary>
        /// Whole passes over every batch until the duration is reached, so the text mix is the
        /// whole set's: stopping part-way would favour the short texts of the first batches.
        /// </summary>
        public double Measure(TimeSpan duration)
        {
            var watch = Stopwatch.StartNew();
            long done = 0;
            do
            {
                foreach (var batch in batches)
                {
                    classifier.Classify(batch);
                    done += batch.Length;
                }
            }
            while (watch.Elapsed < duration);

            return done / watch.Elapsed.TotalSeconds;
        }

        public void Dispose() => classifier.Dispose();
    }

    internal static async Task<(double TextsPerSecond, double P50, double P99, double Wall, long Refused)> LoadAsync(HttpClient client, string[] texts, int size, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        long refused = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            var position = worker * 37;
            while (watch.Elapsed < duration)
            {
                var request = Enumerable.Range(0, size).Select(k => texts[(position + k) % texts.Length]).ToArray();
                position += size;
                var began = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/predict", new { texts = request });
                if (!response.IsSuccessStatusCode)
                {
                    // 429 (queue full) and 503 (deadline passed) are the service protecting itself: counted, not served.
                    Interlocked.Increment(ref refused);
                    continue;
                }

                latencies[worker].Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            }
        }));
        var wall = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return all.Length == 0
            ? (0, double.NaN, double.NaN, wall, refused)
            : (all.Length * size / wall, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], wall, refused);
    }

    /// <summary>A server under test: a child process on a free loopback port, its CPU time and peak RSS from /proc.</summary>
    internal sealed class Subject : IAsyncDisposable
    {
        private readonly Process process;

        private Subject(Process process, HttpClient client)
        {
            this.process = process;
            Client = client;
        }

        public HttpClient Client { get; }

        public static async Task<Subject> StartAsync(string program, string[] arguments, string readyPath)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                // "env:NAME=value" sets an environment variable of the subject instead of passing an argument.
                if (argument.StartsWith("env:", StringComparison.Ordinal) && argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 4)
                {
                    start.Environment[argument[4..equals]] = argument[(equals + 1)..];
                    continue;
                }

                start.ArgumentList.Add(argument.Replace("{url}", $"http://127.0.0.1:{port}", StringComparison.Ordinal).Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            for (var i = 0; ; i++)
            {
                try
                {
                    if ((await client.GetAsync(readyPath)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (i < 600)
                {
                }

                await Task.Delay(100);
            }

            return new Subject(process, client);
        }

        public double CpuSeconds()
        {
            // /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (100 per second here).
            var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }

        public double PeakRssMegabytes()
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
