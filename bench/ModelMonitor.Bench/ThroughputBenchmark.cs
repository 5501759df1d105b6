using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Onnx;

namespace ModelMonitor.Bench;

/// <summary>
/// Three subjects on the same machine in one run, per model: the raw runtime (our ORT session on
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
        var texts = TsvTexts.Read(devTsv);
        var duration = TimeSpan.FromSeconds(seconds);
        var report = new StringBuilder();
        var (workers, perCall) = ThreadSplit(threads);
        report.AppendLine(string.Create(c, $"Throughput, one run on this machine ({Environment.ProcessorCount} cores), SST-2 dev sentences, {seconds:F0} s per measurement after a {WarmUp(duration).TotalSeconds:F0} s warm-up per subject and request size. {threads} inference thread(s) for every subject: the service and the raw runtime run {workers} concurrent call(s) of {perCall} intra-op thread(s) each (the service's default split of this machine's cores); the peer runs one session with {threads} intra-op thread(s), since onnxruntime-node runs one call at a time."));
        foreach (var model in models)
        {
            var name = Path.GetFileName(model.TrimEnd('/'));
            Console.Error.WriteLine($"bench: {name}: raw runtime");
            using var rawRunner = new RawRunner(model, texts, workers, perCall);
            var raw = rawRunner.Measure(duration);

            // This machine's speed drifts (other tenants' CPU steal), so each service measurement at
            // concurrency 32 is bracketed by raw measurements and compared with their mean.
            var bracketed = new Dictionary<int, double>();
            report.AppendLine();
            report.AppendLine(string.Create(c, $"### {name}"));
            report.AppendLine();
            report.AppendLine(string.Create(c, $"Raw runtime (our ONNX Runtime session, all texts sorted by length in batches of 64, whole passes over the set, {workers} call(s) at a time, no HTTP): **{raw:N0} texts/s**."));
            report.AppendLine();
            report.AppendLine("| subject | texts/request | concurrency | texts/s | p50 ms | p99 ms | CPU (cores) | load generator CPU (cores) | peak RSS MB | refused (429/503) | failed |");
            report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var rows = new List<Row>();

            // Both servers run side by side and each load is put on one, then at once on the
            // other (the first alternating), so the machine's drifting speed hits both alike.
            await using var service = await Subject.StartAsync("dotnet", [serviceDll, "--urls", "{url}", $"--Model:Path={model}", .. ServiceThreadArguments(threads), "--Log:MinimumLevel=Warning", $"--Audit:Directory={Path.Combine(Path.GetTempPath(), "mm-bench-tp-" + Guid.NewGuid().ToString("N"))}"], "/health/ready");
            await using var peer = await Subject.StartAsync("node", [Path.Combine(peerDirectory, "server.mjs"), model, "{port}", threads.ToString(c)], "/");
            var subjects = new[] { ("service", service), ("peer", peer) };
            var turn = 0;
            foreach (var size in TextsPerRequest)
            {
                // Warm-up at full load: both the service (.NET tiered JIT) and the peer (V8) take
                // seconds to reach steady state, and so does this generator.
                foreach (var (_, process) in subjects)
                {
                    await LoadAsync(process.Client, texts, size, 32, WarmUp(duration));
                }

                foreach (var concurrency in Concurrency)
                {
                    var bracket = concurrency == 32;
                    var rawBefore = bracket ? rawRunner.Measure(duration) : 0;
                    foreach (var (subject, process) in turn++ % 2 == 0 ? subjects : subjects.Reverse())
                    {
                        var (cpuBefore, ownBefore) = (process.CpuSeconds(), OwnCpuSeconds());
                        var load = await LoadAsync(process.Client, texts, size, concurrency, duration);
                        var cores = (process.CpuSeconds() - cpuBefore) / load.Wall;
                        var generatorCores = (OwnCpuSeconds() - ownBefore) / load.Wall;
                        rows.Add(new Row(subject, size, concurrency, load.TextsPerSecond, load.P50, load.P99, cores, generatorCores, process.PeakRssMegabytes(), load.Refused, load.Failed));
                        Console.Error.WriteLine(string.Create(c, $"bench: {name} {subject} {size} text(s) x {concurrency}: {load.TextsPerSecond:N0} texts/s p50 {load.P50:F1} ms p99 {load.P99:F1} ms"));
                    }

                    if (bracket)
                    {
                        bracketed[size] = (rawBefore + rawRunner.Measure(duration)) / 2;
                    }
                }
            }

            foreach (var row in rows.OrderBy(r => r.Subject == "peer").ThenBy(r => r.Size).ThenBy(r => r.Concurrency))
            {
                report.AppendLine(string.Create(c, $"| {row.Subject} | {row.Size} | {row.Concurrency} | {row.TextsPerSecond:N0} | {row.P50:F1} | {row.P99:F1} | {row.Cores:F2} | {row.GeneratorCores:F2} | {row.RssMb:N0} | {row.Refused} | {row.Failed} |"));
            }

            report.AppendLine();
            foreach (var size in TextsPerRequest)
            {
                var serviceRow = rows.First(r => r.Subject == "service" && r.Size == size && r.Concurrency == 32);
                var peerRow = rows.First(r => r.Subject == "peer" && r.Size == size && r.Concurrency == 32);
                report.AppendLine(string.Create(c, $"- {size} text(s)/request at concurrency 32: service/raw **{serviceRow.TextsPerSecond / bracketed[size]:P0}** (raw measured just before and after: {bracketed[size]:N0} texts/s), service/peer **{serviceRow.TextsPerSecond / peerRow.TextsPerSecond:F2}x**."));
            }

            var ratios = rows.Where(r => r.Subject == "service").Select(r => (r, Peer: rows.First(p => p.Subject == "peer" && p.Size == r.Size && p.Concurrency == r.Concurrency)));
            report.AppendLine("- service/peer at every load (texts/request x concurrency): " + string.Join(", ", ratios.Select(x => string.Create(c, $"{x.r.Size}x{x.r.Concurrency} {x.r.TextsPerSecond / x.Peer.TextsPerSecond:F2}x"))) + ".");

            var serviceRows = rows.Where(r => r.Subject == "service").ToArray();
            var peak = serviceRows.MaxBy(r => r.TextsPerSecond)!;
            var half = serviceRows.Where(r => r.Size == peak.Size && r.Concurrency <= Math.Max(1, peak.Concurrency / 2)).MaxBy(r => r.Concurrency)!;
            var rate = peak.TextsPerSecond / 2 / peak.Size;
            Console.Error.WriteLine(string.Create(c, $"bench: {name} service open loop at {rate:F1} requests/s of {peak.Size} text(s)"));
            await OpenLoadAsync(service.Client, texts, peak.Size, rate, WarmUp(duration)); // the generator's open-loop path and fresh connections warm up
            var open = await OpenLoadAsync(service.Client, texts, peak.Size, rate, duration * 2);
            report.AppendLine(string.Create(c, $"- Service peak {peak.TextsPerSecond:N0} texts/s ({peak.Size} text(s) x {peak.Concurrency}). At half that rate, as an open loop ({rate:F1} requests/s of {peak.Size} text(s), evenly spaced, latency from each request's scheduled start): {open.TextsPerSecond:N0} texts/s served, p50 {open.P50:F1} ms, p99 {open.P99:F1} ms, p99/p50 = **{open.P99 / open.P50:F2}**; closed loop at half the peak's concurrency ({half.Concurrency}): p99/p50 = {half.P99 / half.P50:F2}. Peak RSS {serviceRows.Max(r => r.RssMb):N0} MB (peer {rows.Where(r => r.Subject == "peer").Max(r => r.RssMb):N0} MB)."));
        }

        File.WriteAllText(outputFile, report.ToString());
        Console.Out.Write(report.ToString());
        return 0;
    }

    private sealed record Row(string Subject, int Size, int Concurrency, double TextsPerSecond, double P50, double P99, double Cores, double GeneratorCores, double RssMb, long Refused, long Failed);

    /// <summary>Warm-up per subject and request size: at least 5 s, or one measurement's length.</summary>
    internal static TimeSpan WarmUp(TimeSpan duration) => duration > TimeSpan.FromSeconds(5) ? duration : TimeSpan.FromSeconds(5);

    /// <summary>
    /// How the service splits <paramref name="threads"/> by default (Batching:Workers = 2, intra-op
    /// threads = threads / workers): the split the raw runtime and the service both run with.
    /// </summary>
    internal static (int Workers, int IntraOpThreads) ThreadSplit(int threads) => (Math.Min(2, threads), Math.Max(1, threads / Math.Min(2, threads)));

    internal static string[] ServiceThreadArguments(int threads)
    {
        var (workers, perCall) = ThreadSplit(threads);
        return [$"--Batching:Workers={workers}", $"--OnnxRuntime:IntraOpThreads={perCall}"];
    }

    /// <summary>
    /// The raw runtime: the same session settings as the service's defaults, and the batching the
    /// service does at its best: every text sorted by length, cut into calls of 64, as many calls
    /// at a time as the service runs.
    /// </summary>
    internal sealed class RawRunner : IDisposable
    {
        private readonly TextClassifier classifier;
        private readonly ModelMonitor.Inference.Tokenization.TokenizerEncoding[][] batches;
        private readonly int workers;

        public RawRunner(string model, string[] texts, int workers, int intraOpThreads)
            : this(model, texts, new RawSetup(workers, intraOpThreads, AllowSpinning: false, BatchSize: 64, SharedPool: false))
        {
        }

        public RawRunner(string model, string[] texts, RawSetup setup)
        {
            workers = setup.Workers;
            classifier = TextClassifier.Load(ModelFolder.Open(model), new ClassifierSettings { Session = new OnnxSessionSettings { IntraOpThreads = setup.IntraOpThreads, InterOpThreads = 1, AllowSpinning = setup.AllowSpinning, SharedThreadPool = setup.SharedPool } });
            batches = [.. texts.Select(classifier.Tokenize).OrderBy(e => e.Length).Chunk(setup.BatchSize)];
            classifier.Classify(batches[0]);
        }

        /// <summary>
        /// Whole passes over every batch until the duration is reached, so the text mix is the
        /// whole set's: stopping part-way would favour the short texts of the first batches. The
        /// workers take a pass's batches in turn.
        /// </summary>
        public double Measure(TimeSpan duration)
        {
            var watch = Stopwatch.StartNew();
            long done = 0;
            do
            {
                var next = -1;
                var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
                {
                    for (var i = Interlocked.Increment(ref next); i < batches.Length; i = Interlocked.Increment(ref next))
                    {
                        classifier.Classify(batches[i]);
                        Interlocked.Add(ref done, batches[i].Length);
                    }
                })).ToArray();
                foreach (var thread in threads)
                {
                    thread.Start();
                }

                foreach (var thread in threads)
                {
                    thread.Join();
                }
            }
            while (watch.Elapsed < duration);

            return done / watch.Elapsed.TotalSeconds;
        }

        /// <summary>The longest and the shortest batch once each: JIT, ORT's arena at its largest, the thread pool.</summary>
        public void WarmUp()
        {
            classifier.Classify(batches[^1]);
            classifier.Classify(batches[0]);
        }

        public void Dispose() => classifier.Dispose();
    }

    /// <summary>
    /// A closed loop of <paramref name="concurrency"/> clients, each posting its next request as
    /// soon as the last was answered. Bodies are serialized before the clock starts and sent with
    /// a Content-Length, as a real client sends them, so the generator spends its CPU (which it
    /// shares with the subject) on HTTP rather than on JSON.
    /// </summary>
    internal static async Task<(double TextsPerSecond, double P50, double P99, double Wall, long Refused, long Failed)> LoadAsync(HttpClient client, string[] texts, int size, int concurrency, TimeSpan duration)
    {
        var bodies = RequestBodies(texts, size);
        var latencies = new List<double>[concurrency];
        long refused = 0;
        long failed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            var position = worker * 37;
            while (watch.Elapsed < duration)
            {
                using var content = new ByteArrayContent(bodies[position % texts.Length]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                position += size;
                var began = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                try
                {
                    response = await client.PostAsync("/predict", content);
                    await response.Content.LoadIntoBufferAsync();
                }
                catch (HttpRequestException)
                {
                    // A connection the server dropped: counted as failed, and the loop goes on.
                    Interlocked.Increment(ref failed);
                    continue;
                }

                using var answered = response;
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
            ? (0, double.NaN, double.NaN, wall, refused, failed)
            : (all.Length * size / wall, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], wall, refused, failed);
    }

    /// <summary>
    /// An open loop: requests start on a fixed schedule, <paramref name="requestsPerSecond"/>
    /// evenly spaced, whether or not earlier ones were answered, and each latency runs from the
    /// request's scheduled start (so a stalled server is charged for the requests it delayed, as
    /// wrk2 does).
    /// </summary>
    internal static async Task<(double TextsPerSecond, double P50, double P99)> OpenLoadAsync(HttpClient client, string[] texts, int size, double requestsPerSecond, TimeSpan duration)
    {
        var bodies = RequestBodies(texts, size);
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var requests = new List<Task>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; ; i++)
        {
            var scheduled = TimeSpan.FromSeconds(i / requestsPerSecond);
            if (scheduled >= duration)
            {
                break;
            }

            if (scheduled > watch.Elapsed)
            {
                await Task.Delay(scheduled - watch.Elapsed);
            }

            var body = bodies[i * size % texts.Length];
            requests.Add(Task.Run(async () =>
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/predict", content);
                await response.Content.LoadIntoBufferAsync();
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add((watch.Elapsed - scheduled).TotalMilliseconds);
                }
            }));
        }

        await Task.WhenAll(requests);
        var all = latencies.Order().ToArray();
        return all.Length == 0
            ? (0, double.NaN, double.NaN)
            : (all.Length * size / watch.Elapsed.TotalSeconds, all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]);
    }

    /// <summary>The body of the request starting at each text: that text and the next size - 1, wrapping round.</summary>
    private static byte[][] RequestBodies(string[] texts, int size) =>
        [.. Enumerable.Range(0, texts.Length).Select(start => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string[]> { ["texts"] = [.. Enumerable.Range(0, size).Select(k => texts[(start + k) % texts.Length])] }))];

    /// <summary>CPU this process (the load generator) has used, in seconds.</summary>
    internal static double OwnCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
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

        public double PeakRssMegabytes() => StatusMegabytes("VmHWM:");

        public double RssMegabytes() => StatusMegabytes("VmRSS:");

        private double StatusMegabytes(string field)
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
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
