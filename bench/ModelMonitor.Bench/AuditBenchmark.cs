using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ModelMonitor.Audit;

namespace ModelMonitor.Bench;

/// <summary>
/// Two measurements in one run: records per second the audit store sustains in each durability
/// mode under concurrent appenders, and /predict throughput of the real service (Kestrel, real
/// model) with auditing off and with auditing in fsync mode, under the same concurrent load.
/// </summary>
internal static class AuditBenchmark
{
    private const int Rounds = 5;

    public static async Task<int> RunAsync(string serviceDll, string modelPath, TimeSpan duration, int concurrency, string outputFile)
    {
        var report = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        report.AppendLine(string.Create(c, $"Audit benchmark, one run on this machine ({Environment.ProcessorCount} cores), {duration.TotalSeconds:F0} s per measurement, {concurrency} concurrent clients."));
        report.AppendLine();
        report.AppendLine(string.Create(c, $"| audit store ({concurrency} appenders), median of {Rounds} alternating rounds | records/s | commits | records per commit |"));
        report.AppendLine("| --- | ---: | ---: | ---: |");
        var modes = new[] { Durability.Fsync, Durability.Flush, Durability.None };
        var storeRounds = modes.ToDictionary(m => m, _ => new List<(double Rate, long Commits, double PerCommit)>());
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var mode in modes)
            {
                storeRounds[mode].Add(await StoreRateAsync(mode, duration / 2, concurrency));
            }
        }

        foreach (var mode in modes)
        {
            var median = storeRounds[mode].OrderBy(r => r.Rate).ElementAt(Rounds / 2);
            report.AppendLine(string.Create(c, $"| {mode} | {median.Rate:N0} | {median.Commits:N0} | {median.PerCommit:F1} |"));
            Console.Error.WriteLine(string.Create(c, $"bench: store {mode}: rounds {string.Join(", ", storeRounds[mode].Select(r => r.Rate.ToString("N0", c)))} records/s"));
        }

        report.AppendLine();
        report.AppendLine(string.Create(c, $"| /predict (1 text per request), median of {Rounds} alternating rounds | requests/s | p50 ms | p99 ms |"));
        report.AppendLine("| --- | ---: | ---: | ---: |");
        var results = new Dictionary<string, double>(StringComparer.Ordinal);
        string[] common = ["--OnnxRuntime:IntraOpThreads=1"];
        await using (var off = await ServiceProcess.StartAsync(serviceDll, modelPath, [.. common, "--Audit:Enabled=false"]))
        await using (var fsync = await ServiceProcess.StartAsync(serviceDll, modelPath, [.. common, "--Audit:Durability=Fsync"]))
        {
            // Both services run side by side and take turns under load, so machine noise hits both alike.
            var rounds = new Dictionary<string, List<(double Rps, double P50, double P99)>>(StringComparer.Ordinal) { ["audit off"] = [], ["audit fsync"] = [] };
            await PredictLoadAsync(off.Client, TimeSpan.FromSeconds(2), concurrency);
            await PredictLoadAsync(fsync.Client, TimeSpan.FromSeconds(2), concurrency);
            for (var round = 0; round < Rounds; round++)
            {
                rounds["audit off"].Add(await PredictLoadAsync(off.Client, duration, concurrency));
                rounds["audit fsync"].Add(await PredictLoadAsync(fsync.Client, duration, concurrency));
            }

            foreach (var (name, measured) in rounds)
            {
                var median = measured.OrderBy(m => m.Rps).ElementAt(measured.Count / 2);
                results[name] = median.Rps;
                report.AppendLine(string.Create(c, $"| {name} | {median.Rps:N0} | {median.P50:F2} | {median.P99:F2} |"));
                Console.Error.WriteLine(string.Create(c, $"bench: /predict {name}: rounds {string.Join(", ", measured.Select(m => m.Rps.ToString("N0", c)))} requests/s"));
            }
        }

        var cost = 1 - (results["audit fsync"] / results["audit off"]);
        report.AppendLine();
        report.AppendLine(string.Create(c, $"Auditing in fsync mode keeps {results["audit fsync"] / results["audit off"]:P1} of /predict throughput (cost {cost:P1}; the aim is under 10%)."));
        File.WriteAllText(outputFile, report.ToString());
        Console.Out.Write(report.ToString());
        return 0;
    }

    private static async Task<(double Rate, long Commits, double PerCommit)> StoreRateAsync(Durability mode, TimeSpan duration, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("mm-bench-audit-").FullName;
        try
        {
            long commits = 0;
            var log = new AuditLog(new AuditSettings { Directory = directory, Durability = mode });
            log.Committed += (_, _) => Interlocked.Increment(ref commits);
            using var stop = new CancellationTokenSource();
            var writer = log.RunAsync(stop.Token);
            var text = new string('x', 120);
            long records = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (watch.Elapsed < duration)
                {
                    await log.AppendAsync([new AuditEntry("prediction", DateTimeOffset.UtcNow, "bench", json => json.WriteString("text", text))]);
                    Interlocked.Increment(ref records);
                }
            }));
            var seconds = watch.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await writer;
            return (records / seconds, commits, commits == 0 ? 0 : (double)records / commits);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A closed loop of one-text /predict requests; requests/s, p50 and p99 latency (ms). The PostgreSQL store benchmark uses it too.</summary>
    internal static async Task<(double Rps, double P50, double P99)> PredictLoadAsync(HttpClient client, TimeSpan duration, int concurrency)
    {
        var texts = new[] { "a gorgeous, witty, seductive movie.", "the movie fails to live up to the sum of its parts." };
        var latencies = new List<double>[concurrency];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            var i = 0;
            while (watch.Elapsed < duration)
            {
                var began = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { texts[i++ % 2] } });
                response.EnsureSuccessStatusCode();
                latencies[worker].Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / seconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }
}
