using System.Diagnostics;
using System.Globalization;
using System.Text;
using ModelMonitor.Audit;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Monitoring.Reports;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Bench;

/// <summary>
/// How cost grows with the work (issue #19): time to ready against the audit trail's size, one
/// drift evaluation against the window's size, /report and /drift/history against the evaluations
/// kept (and the audit's size), and memory against the window's size. Every store is written by
/// the real audit writer in the shapes the service writes, from real SST-2 texts scored by the
/// real model, so replay and history read what they would read in production.
/// </summary>
internal static class CostGrowthBenchmark
{
    private const int EvaluateEvery = 200; // Drift:EvaluateEveryPredictions' default
    private const double FeedbackShare = 0.05;
    private const int Rounds = 5;
    private const string AdminKey = "cost-growth-bench";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string serviceDll, string modelDir, string trainTsv, string devTsv, string driftedTsv, string outputFile, int repeats, long[] storeSizes)
    {
        var watch = Stopwatch.StartNew();
        var output = new Output(outputFile);
        Log($"scoring SST-2 texts with {modelDir}");
        var pool = Pool.Score(modelDir, trainTsv, driftedTsv);
        Log($"scored {pool.Vectors.Length:N0} pool texts and a {pool.Reference.Count:N0}-text reference in {watch.Elapsed.TotalSeconds:F0} s");

        output.Header.AppendLine(string.Create(C, $"# How cost grows with the work\n\nOne run of `bench/cost-growth/run.sh` on {DateTime.UtcNow:yyyy-MM-dd} ({Environment.ProcessorCount} cores). **The machine was shared with other jobs (throughput benchmarks, builds, test runs of other sessions; load average 10-15 on 2 cores) and every process of this benchmark ran under `nice -n 19`**: wall times are inflated, by several times, and noisy; the growth ratios between sizes are what this measures, and the CPU time the service spent (from its own `process_cpu_seconds_total`) is given beside the wall time because it depends far less on the other jobs. Each store is written by the real audit writer (`AuditLog`) in the record shapes the service writes: prediction records with their features (real SST-2 train sentences scored by `sst2-tiny`), feedback on {FeedbackShare:P0} of them, and a drift evaluation record (a real `DriftEvaluator` result) every {EvaluateEvery} predictions, as `Drift:EvaluateEveryPredictions` does.\n"));

        Evaluator(output.Section(), pool);
        output.Save();

        var stores = new Dictionary<long, string>();
        try
        {
            await EvaluationsKeptAsync(output.Section(), pool, serviceDll, modelDir);
            output.Save();
            var startup = new Startup(output.Section(), output.Section(), repeats);
            var memoryStore = storeSizes.Where(s => s >= 100_000).DefaultIfEmpty(storeSizes.Max()).Min();
            var memory = output.Section();
            foreach (var size in storeSizes.Order())
            {
                await startup.MeasureAsync(pool, serviceDll, modelDir, size, stores);
                output.Save();
                if (size == memoryStore)
                {
                    await WindowMemoryAsync(memory, serviceDll, modelDir, devTsv, stores[size]);
                    output.Save();
                }

                foreach (var done in stores.Keys.Where(k => k != size && k != memoryStore).ToArray())
                {
                    Directory.Delete(stores[done], recursive: true);
                    stores.Remove(done);
                }
            }
        }
        finally
        {
            foreach (var directory in stores.Values)
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        output.Footer = string.Create(C, $"Whole run: {watch.Elapsed.TotalMinutes:F1} min.\n");
        output.Save();
        Console.Out.Write(File.ReadAllText(outputFile));
        return 0;
    }

    /// <summary>The results file, rewritten after each measurement so a long run leaves what it measured so far.</summary>
    private sealed class Output(string path)
    {
        private readonly List<StringBuilder> sections = [];

        public StringBuilder Header { get; } = new();

        public string Footer { get; set; } = "(run in progress)\n";

        public StringBuilder Section()
        {
            var section = new StringBuilder();
            sections.Add(section);
            return section;
        }

        public void Save() => File.WriteAllText(path, Header + string.Concat(sections.Select(s => s.ToString())) + Footer);
    }

    /// <summary>2. One <see cref="DriftEvaluator.Evaluate"/> in-process, the function MonitorCore calls, against the window's size.</summary>
    private static void Evaluator(StringBuilder report, Pool pool)
    {
        report.AppendLine("## One drift evaluation against the window's size\n");
        report.AppendLine(string.Create(C, $"`DriftEvaluator.Evaluate` (what `MonitorCore` runs on each evaluation) timed in-process, median of {Rounds} after one warm-up (wall time, and the process's CPU time, which counts the parallel sorts' second thread), against a {pool.Reference.Count:N0}-text reference of SST-2 train sentences, all twelve features judged (reference scores). Two kinds of window, drawn with replacement: *same* from {pool.Vectors.Length:N0} other scored SST-2 train sentences ({FeedbackShare:P0} labelled), so nothing drifts; *drifted* from {pool.Drifted.Length:N0} scored Banking77 queries (another domain: most features drift). `Drift:WindowSize` has no upper bound (the options only require at least 1), so 100,000 is accepted. The KS test counts lattice paths exactly while both samples hold at most 10,000 values (`KolmogorovSmirnov.MaxExactSize`, SciPy's rule) and uses the asymptotic distribution beyond.\n"));
        report.AppendLine("| window | kind | median wall | median CPU (process) | per prediction (CPU) | allocated | CPU / previous size | size / previous |");
        report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var policy = new DriftPolicy();
        var baseline = new PerformanceBaseline(pool.Reference.Performance?.Accuracy, pool.Reference.Performance?.F1Macro, PerformanceBaseline.FromReference);
        foreach (var drifted in new[] { false, true })
        {
            double? previousCpu = null;
            var previousSize = 0;
            foreach (var size in new[] { 1_000, 5_000, 10_000, 20_000, 100_000 })
            {
                var window = drifted ? pool.DriftedWindow(size, new Random(size)) : pool.Window(size, new Random(size));
                DriftEvaluator.Evaluate(0, DateTimeOffset.UtcNow, pool.Reference, window, baseline, policy);
                var times = new List<double>();
                var cpu = new List<double>();
                long allocated = 0;
                var drifting = 0;
                for (var round = 0; round < Rounds; round++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    var evaluation = DriftEvaluator.Evaluate(round + 1, DateTimeOffset.UtcNow, pool.Reference, window, baseline, policy);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    drifting = evaluation.Features.Count(f => f.Verdict == DriftVerdict.Drift);
                    if (evaluation.Skipped)
                    {
                        throw new InvalidOperationException("The evaluation was skipped: " + evaluation.SkippedReason);
                    }
                }

                var median = Median(times);
                var cpuMedian = Median(cpu);
                report.AppendLine(string.Create(C, $"| {size:N0} | {(drifted ? "drifted" : "same")} ({drifting} of 12 drift) | {median:F0} ms | {cpuMedian:F0} ms | {cpuMedian * 1000 / size:F1} µs | {allocated / 1048576.0:F1} MB | {Ratio(cpuMedian, previousCpu)} | {(previousSize > 0 ? ((double)size / previousSize).ToString("G3", C) + "x" : "")} |"));
                Log($"evaluate window {size:N0} {(drifted ? "drifted" : "same")}: {median:F1} ms, CPU {cpuMedian:F0} ms");
                previousCpu = cpuMedian;
                previousSize = size;
            }
        }

        report.AppendLine();
    }

    /// <summary>1. Time to ready against the audit's size; and the history/report endpoints on those stores.</summary>
    private sealed class Startup(StringBuilder readySection, StringBuilder endpointSection, int repeats)
    {
        private readonly List<string> startupRows = [];
        private readonly List<string> endpointRows = [];
        private double? previousReady;
        private double? previousCpu;
        private long previousSize;

        public async Task MeasureAsync(Pool pool, string serviceDll, string modelDir, long size, Dictionary<long, string> stores)
        {
            var directory = Directory.CreateTempSubdirectory("mm-bench-cost-").FullName;
            stores[size] = directory;
            var watch = Stopwatch.StartNew();
            var written = await WriteStoreAsync(directory, pool, size, EvaluateEvery);
            var bytes = AuditSegments.List(directory).Sum(s => new FileInfo(s).Length);
            Log($"store {size:N0}: {written.Records:N0} records, {bytes / 1048576.0:N0} MB, written in {watch.Elapsed.TotalSeconds:F0} s");
            var ready = new List<double>();
            var cpu = new List<double>();
            Metrics? memory = null;
            string? endpoints = null;
            for (var i = 0; i < repeats; i++)
            {
                await using var service = await ServiceProcess.StartAsync(serviceDll, modelDir, [], directory);
                var metrics = await Metrics.ReadAsync(service.Client);
                ready.Add(service.Startup.TotalSeconds);
                cpu.Add(metrics.CpuSeconds);
                Log($"store {size:N0}: ready in {service.Startup.TotalSeconds:F2} s, {metrics.CpuSeconds:F2} CPU s");
                if (i == 0)
                {
                    memory = metrics;
                    endpoints = await EndpointsAsync(service.Client);
                }
            }

            var median = Median(ready);
            var cpuMedian = Median(cpu);
            startupRows.Add(string.Create(C, $"| {size:N0} | {written.Records:N0} | {written.Evaluations:N0} | {bytes / 1048576.0:N0} MB | {median:F2} s | {string.Join(" / ", ready.Select(r => r.ToString("F1", C)))} | {cpuMedian:F2} s | {Ratio(median, previousReady)} | {Ratio(cpuMedian, previousCpu)} | {(previousSize > 0 ? (size / previousSize).ToString(C) + "x" : "")} | {memory!.ResidentMb:N0} MB | {memory.HeapMb:N0} MB |"));
            endpointRows.Add(string.Create(C, $"| {size:N0} predictions, {written.Evaluations:N0} evaluations, {bytes / 1048576.0:N0} MB | {endpoints} |"));
            previousReady = median;
            previousCpu = cpuMedian;
            previousSize = size;
            Render();
        }

        private void Render()
        {
            readySection.Clear();
            readySection.AppendLine("## Time to ready against the audit trail's size\n");
            readySection.AppendLine(string.Create(C, $"From process start to the first 200 from `GET /health/ready`: the Release service (`sst2-tiny`, default settings, `Drift:WindowSize` 1,000, no reference file) started {repeats} times on each store; median and every run, and the CPU time the service had used when ready (`process_cpu_seconds_total`, median). Memory is read from the service's own `/metrics` once it is ready (first run): `process_resident_memory_bytes` and `dotnet_gc_heap_size_bytes` (the managed heap after the last collection).\n"));
            readySection.AppendLine("| predictions | records | evaluations | store | ready (median) | runs (s) | CPU when ready | wall / previous | CPU / previous | size / previous | RSS when ready | managed heap |");
            readySection.AppendLine("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in startupRows)
            {
                readySection.AppendLine(row);
            }

            readySection.AppendLine();
            endpointSection.Clear();
            endpointSection.AppendLine("## Report and history endpoints against the audit's size\n");
            endpointSection.AppendLine(string.Create(C, $"The same stores, the first service of each: median wall time of {Rounds} requests after one warm-up, and in brackets the service's CPU time per request (its `process_cpu_seconds_total` over the {Rounds} requests). `/report` is built from memory; `/drift/history` and `/traffic/history` read the audit on every request.\n"));
            endpointSection.AppendLine("| store | " + string.Join(" | ", EndpointNames) + " |");
            endpointSection.AppendLine("| --- |" + string.Concat(EndpointNames.Select(_ => " ---: |")));
            foreach (var row in endpointRows)
            {
                endpointSection.AppendLine(row);
            }

            endpointSection.AppendLine();
        }
    }

    private static string Ratio(double value, double? previous) => previous is { } p && p > 0 ? (value / p).ToString("F2", C) + "x" : "";

    /// <summary>3. /report and /drift/history against the number of evaluations kept, the predictions held fixed.</summary>
    private static async Task EvaluationsKeptAsync(StringBuilder report, Pool pool, string serviceDll, string modelDir)
    {
        const long Predictions = 20_000;
        report.AppendLine("## Report and history endpoints against the evaluations kept\n");
        report.AppendLine(string.Create(C, $"Stores of {Predictions:N0} predictions with 100, 1,000 and 10,000 evaluation records spread among them; median wall time of {Rounds} requests after one warm-up, and in brackets the service's CPU time per request.\n"));
        report.AppendLine("| evaluations | store | ready | " + string.Join(" | ", EndpointNames) + " |");
        report.AppendLine("| ---: | ---: | ---: |" + string.Concat(EndpointNames.Select(_ => " ---: |")));
        foreach (var evaluations in new[] { 100, 1_000, 10_000 })
        {
            var directory = Directory.CreateTempSubdirectory("mm-bench-cost-evals-").FullName;
            try
            {
                var written = await WriteStoreAsync(directory, pool, Predictions, (int)(Predictions / evaluations));
                var bytes = AuditSegments.List(directory).Sum(s => new FileInfo(s).Length);
                await using var service = await ServiceProcess.StartAsync(serviceDll, modelDir, [], directory);
                var endpoints = await EndpointsAsync(service.Client);
                report.AppendLine(string.Create(C, $"| {written.Evaluations:N0} | {bytes / 1048576.0:N0} MB | {service.Startup.TotalSeconds:F2} s | {endpoints} |"));
                Log($"{written.Evaluations:N0} evaluations: {endpoints}");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        report.AppendLine();
    }

    /// <summary>4. Memory against the window's size: the same store replayed into windows of 1k, 10k, 100k, then one evaluation.</summary>
    private static async Task WindowMemoryAsync(StringBuilder report, string serviceDll, string modelDir, string devTsv, string store)
    {
        var predictions = AuditReader.ExportLines(store, null, null, [MonitoringAuditRecords.PredictionKind]).LongCount();
        report.AppendLine("## Memory against the window's size\n");
        report.AppendLine(string.Create(C, $"The service started on the store of {predictions:N0} predictions with `Drift:WindowSize` 1,000, 10,000 and 100,000, so the restart refills the window from the audit; reference: SST-2 dev (`Drift:ReferencePath`, `Drift:ScoreReference=Reference`). Memory from `/metrics` when ready (the window refilled, the reference not yet scored) and after the second `POST /drift/evaluate` (the first waits for the reference); that second one is timed end to end (window snapshot, evaluation, performance estimate, audit write), with the service's CPU time in brackets.\n"));
        report.AppendLine("| window | RSS when ready | heap when ready | POST /drift/evaluate | RSS after | heap after |");
        report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            await using var service = await ServiceProcess.StartAsync(serviceDll, modelDir, [string.Create(C, $"--Drift:WindowSize={size}"), "--Drift:ReferencePath=" + devTsv, "--Drift:ScoreReference=Reference", "--Drift:EvaluationIntervalSeconds=3600", "--Drift:EvaluateEveryPredictions=0", "--Security:AdminApiKey=" + AdminKey], store);
            service.Client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            var ready = await Metrics.ReadAsync(service.Client);
            await EvaluateOnceAsync(service.Client); // waits for the reference to be scored
            var before = await Metrics.ReadAsync(service.Client);
            var evaluate = await EvaluateOnceAsync(service.Client);
            var after = await Metrics.ReadAsync(service.Client);
            report.AppendLine(string.Create(C, $"| {size:N0} | {ready.ResidentMb:N0} MB | {ready.HeapMb:N0} MB | {evaluate:F0} ms ({(after.CpuSeconds - before.CpuSeconds) * 1000:F0}) | {after.ResidentMb:N0} MB | {after.HeapMb:N0} MB |"));
            Log($"window {size:N0}: RSS {ready.ResidentMb:N0} -> {after.ResidentMb:N0} MB, evaluate {evaluate:F0} ms");
        }

        report.AppendLine();
    }

    /// <summary>POST /drift/evaluate once the reference is ready (409 until then); its time, and the evaluation must judge the window.</summary>
    private static async Task<double> EvaluateOnceAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsync("/drift/evaluate", null);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                await Task.Delay(250);
                continue;
            }

            var body = await response.Content.ReadAsStringAsync();
            response.EnsureSuccessStatusCode();
            if (body.Contains("\"skipped_reason\":\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The evaluation was skipped: " + body[..Math.Min(400, body.Length)]);
            }

            return elapsed;
        }

        throw new TimeoutException("The reference never became ready.");
    }

    private static readonly string[] EndpointNames = ["GET /report", "GET /drift/history (first page of 100)", "GET /drift/history?detail=summary&max_points=500 (dashboard)", "GET /traffic/history (last day, 96 buckets)"];

    private static readonly string[] EndpointPaths = ["/report", "/drift/history", "/drift/history?detail=summary&max_points=500", "/traffic/history"];

    /// <summary>Each endpoint: "median wall ms (CPU ms per request)", joined as table cells.</summary>
    private static async Task<string> EndpointsAsync(HttpClient client)
    {
        var cells = new List<string>();
        for (var e = 0; e < EndpointPaths.Length; e++)
        {
            var times = new List<double>();
            await GetAsync(client, EndpointPaths[e]);
            var before = await Metrics.ReadAsync(client);
            for (var round = 0; round < Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                await GetAsync(client, EndpointPaths[e]);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var after = await Metrics.ReadAsync(client);
            cells.Add(string.Create(C, $"{Median(times):F0} ms ({(after.CpuSeconds - before.CpuSeconds) * 1000 / Rounds:F0})"));
        }

        return string.Join(" | ", cells);
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
    }

    private sealed record Written(long Records, long Evaluations);

    /// <summary>
    /// Writes <paramref name="predictions"/> prediction records in the service's shape, feedback on
    /// a share of them, and an evaluation record every <paramref name="evaluateEvery"/> predictions,
    /// their times spread over today so far (the writer puts every record in today's segments).
    /// </summary>
    private static async Task<Written> WriteStoreAsync(string directory, Pool pool, long predictions, int evaluateEvery)
    {
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var span = Math.Max(60_000, (now - dayStart).TotalMilliseconds - 60_000);
        var evaluations = pool.Evaluations;
        await using var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.None, MaxBatchRecords = 8192 });
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        long records = 0, evaluationCount = 0;
        const int Batch = 2000;
        var pendingFeedback = new List<(string Id, int Label)>();
        for (long first = 0; first < predictions; first += Batch)
        {
            var count = (int)Math.Min(Batch, predictions - first);
            var entries = new List<AuditEntry>(count + (count / evaluateEvery) + pendingFeedback.Count + 2);
            foreach (var (id, label) in pendingFeedback)
            {
                var at = dayStart.AddMilliseconds(span * first / predictions);
                entries.Add(MonitoringAuditRecords.Feedback(at, "bench-feedback", id, pool.Labels[label], label, joined: true));
            }

            pendingFeedback.Clear();
            var predictionSlots = new List<int>(count);
            var picks = new int[count];
            for (var i = 0; i < count; i++)
            {
                var n = first + i;
                var at = dayStart.AddMilliseconds(span * n / predictions);
                var pick = picks[i] = random.Next(pool.Vectors.Length);
                predictionSlots.Add(entries.Count);
                entries.Add(pool.PredictionEntry(pick, at, i % 16, $"bench-{n / 16}"));
                if ((n + 1) % evaluateEvery == 0)
                {
                    var evaluation = evaluations[(int)(evaluationCount % evaluations.Length)];
                    evaluationCount++;
                    entries.Add(MonitoringAuditRecords.Evaluation(evaluation with { Sequence = evaluationCount, EvaluatedAt = at }));
                }
            }

            var ids = await log.AppendAsync(entries);
            records += entries.Count;
            for (var i = 0; i < count; i++)
            {
                if (random.NextDouble() < FeedbackShare && pool.Truth[picks[i]] >= 0)
                {
                    pendingFeedback.Add((ids[predictionSlots[i]], pool.Truth[picks[i]]));
                }
            }
        }

        await stop.CancelAsync();
        await writer;
        return new Written(records, evaluationCount);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void Log(string message) => Console.Error.WriteLine(string.Create(C, $"bench [{DateTime.UtcNow:HH:mm:ss}]: {message}"));

    /// <summary>The service's resident memory and managed heap, from its /metrics.</summary>
    private sealed record Metrics(double ResidentMb, double HeapMb, double CpuSeconds)
    {
        public static async Task<Metrics> ReadAsync(HttpClient client)
        {
            var text = await client.GetStringAsync("/metrics");
            double Read(string name) => double.Parse(text.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], NumberStyles.Float, C);
            return new Metrics(Read("process_resident_memory_bytes") / 1048576.0, Read("dotnet_gc_heap_size_bytes") / 1048576.0, Read("process_cpu_seconds_total"));
        }
    }

    /// <summary>
    /// Real SST-2 train sentences scored by the real model: a pool that windows and stores draw
    /// from, a reference of other sentences, and a few real evaluations of pool windows.
    /// </summary>
    private sealed class Pool
    {
        private const int PoolSize = 8000;
        private const int ReferenceSize = 2000;

        private Pool(ModelDescriptor model, string[] texts, Classification[] results, TextFeatureVector[] vectors, int[] truth, ReferenceProfile reference, TextFeatureVector[] drifted)
        {
            Drifted = drifted;
            Model = model;
            Texts = texts;
            Results = results;
            Vectors = vectors;
            Truth = truth;
            Reference = reference;
            Labels = model.Labels;
            var baseline = new PerformanceBaseline(reference.Performance?.Accuracy, reference.Performance?.F1Macro, PerformanceBaseline.FromReference);
            Evaluations = [.. Enumerable.Range(0, 20).Select(i => DriftEvaluator.Evaluate(i + 1, DateTimeOffset.UtcNow, reference, Window(1000, new Random(100 + i)), baseline, new DriftPolicy()))];
        }

        public ModelDescriptor Model { get; }

        public string[] Texts { get; }

        public Classification[] Results { get; }

        public TextFeatureVector[] Vectors { get; }

        public int[] Truth { get; }

        public IReadOnlyList<string> Labels { get; }

        public ReferenceProfile Reference { get; }

        public DriftEvaluation[] Evaluations { get; }

        /// <summary>Scored texts of another domain (Banking77 queries): a window of them drifts.</summary>
        public TextFeatureVector[] Drifted { get; }

        public static Pool Score(string modelDir, string trainTsv, string driftedTsv)
        {
            var all = ReferenceFileReader.Read(trainTsv);
            var order = Enumerable.Range(0, all.Count).ToArray();
            new Random(42).Shuffle(order);
            using var classifier = TextClassifier.Load(ModelFolder.Open(modelDir));
            var (texts, results, vectors, truth) = ScoreTexts(classifier, [.. order.Take(PoolSize).Select(i => all[i])]);
            var (_, _, referenceVectors, referenceTruth) = ScoreTexts(classifier, [.. order.Skip(PoolSize).Take(ReferenceSize).Select(i => all[i])]);
            var reference = ReferenceProfile.Create("sst2-train-sample", DateTimeOffset.UtcNow, referenceVectors, classifier.Model.Labels, referenceTruth, 10);
            var (_, _, drifted, _) = ScoreTexts(classifier, [.. ReferenceFileReader.Read(driftedTsv, "text").Select(t => t with { Label = null })]);
            return new Pool(classifier.Model, texts, results, vectors, truth, reference, drifted);
        }

        /// <summary>A window of <paramref name="size"/> predictions drawn with replacement, a share of them labelled.</summary>
        public WindowSample Window(int size, Random random)
        {
            var vectors = new TextFeatureVector[size];
            var truth = new int[size];
            for (var i = 0; i < size; i++)
            {
                var pick = random.Next(Vectors.Length);
                vectors[i] = Vectors[pick];
                truth[i] = random.NextDouble() < FeedbackShare ? Truth[pick] : -1;
            }

            var now = DateTimeOffset.UtcNow;
            return new WindowSample(vectors, truth, now.AddMinutes(-10), now);
        }

        /// <summary>A window of <paramref name="size"/> predictions of another domain, drawn with replacement, unlabelled.</summary>
        public WindowSample DriftedWindow(int size, Random random)
        {
            var vectors = new TextFeatureVector[size];
            for (var i = 0; i < size; i++)
            {
                vectors[i] = Drifted[random.Next(Drifted.Length)];
            }

            var now = DateTimeOffset.UtcNow;
            return new WindowSample(vectors, Enumerable.Repeat(-1, size).ToArray(), now.AddMinutes(-10), now);
        }

        /// <summary>A prediction record exactly as the service's AuditTrail.PredictionEntries writes it, features included.</summary>
        public AuditEntry PredictionEntry(int pick, DateTimeOffset at, int index, string requestId)
        {
            var text = Texts[pick];
            var result = Results[pick];
            var features = Vectors[pick];
            var model = Model;
            return new AuditEntry("prediction", at, requestId, json =>
            {
                json.WriteStartObject("model");
                json.WriteString("name", model.Name);
                json.WriteString("version", model.Version);
                json.WriteString("sha256", model.Sha256);
                json.WriteEndObject();
                json.WriteNumber("index", index);
                json.WriteStartObject("input");
                json.WriteString("text", text);
                json.WriteEndObject();
                json.WriteNumber("chars", text.Length);
                json.WriteNumber("tokens", result.TokenCount);
                json.WriteBoolean("truncated", result.Truncated);
                json.WriteString("label", result.Label);
                json.WriteNumber("score", result.Score);
                json.WriteStartObject("scores");
                for (var j = 0; j < model.Labels.Count; j++)
                {
                    json.WriteNumber(model.Labels[j], result.Probabilities[j]);
                }

                json.WriteEndObject();
                json.WriteNumber("latency_ms", 3.5 + (pick % 40) / 10.0);
                MonitoringAuditRecords.WriteFeatures(json, features);
            });
        }

        /// <summary>Scores texts as /predict does (FeatureExtractor's computation): their results, features and true labels.</summary>
        private static (string[] Texts, Classification[] Results, TextFeatureVector[] Vectors, int[] Truth) ScoreTexts(TextClassifier classifier, IReadOnlyList<ReferenceText> texts)
        {
            var tokenizer = classifier.Tokenizer;
            bool IsContinuation(int id) => tokenizer.IsContinuation(id);
            var results = new List<Classification>(texts.Count);
            var vectors = new List<TextFeatureVector>(texts.Count);
            for (var start = 0; start < texts.Count; start += 64)
            {
                var chunk = texts.Skip(start).Take(64).Select(t => t.Text).ToArray();
                var encodings = chunk.Select(classifier.Tokenize).ToArray();
                var classified = classifier.Classify(encodings);
                for (var i = 0; i < chunk.Length; i++)
                {
                    results.Add(classified[i]);
                    vectors.Add(TextFeatures.Compute(chunk[i], encodings[i].Ids, tokenizer.SpecialTokenCount, tokenizer.UnknownId, encodings[i].UntruncatedLength, encodings[i].Truncated, [.. classified[i].Probabilities], IsContinuation));
                }
            }

            var truth = texts.Select(t => t.Label is null ? -1 : LabelNames.Resolve(t.Label, classifier.Model.Labels)).ToArray();
            return ([.. texts.Select(t => t.Text)], [.. results], [.. vectors], truth);
        }
    }
}
