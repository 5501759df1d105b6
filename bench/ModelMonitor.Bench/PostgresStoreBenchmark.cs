using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;
using ModelMonitor.Testing;

namespace ModelMonitor.Bench;

/// <summary>
/// The PostgreSQL audit store against the file store, in one run on this machine, with a
/// throwaway local cluster (fsync on, synchronous_commit on, PostgreSQL's defaults): records per
/// second one database takes from 1, 2 and 4 writers (each with its own concurrent appenders,
/// as replicas would), the file store in Fsync mode beside them, and /predict throughput of the
/// real service on each store, the two services side by side taking turns under the same load.
/// </summary>
internal static class PostgresStoreBenchmark
{
    private const int Rounds = 3;
    private static readonly int[] Writers = [1, 2, 4];

    public static async Task<int> RunAsync(string serviceDll, string modelPath, TimeSpan duration, int concurrency, string outputFile)
    {
        var c = CultureInfo.InvariantCulture;
        var report = new StringBuilder();
        report.AppendLine(string.Create(c, $"PostgreSQL audit store benchmark, one run on this machine ({Environment.ProcessorCount} cores, PostgreSQL on the same machine over 127.0.0.1, fsync on), {duration.TotalSeconds:F0} s per measurement, {concurrency} concurrent appenders or clients in all, median of {Rounds} alternating rounds."));
        report.AppendLine();
        using var cluster = new PostgresCluster(fsync: true);
        report.AppendLine("| store | writers | records/s | commits/s | records per commit |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        var rounds = new Dictionary<string, List<(double Rate, double Commits)>>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            Add(rounds, "file Fsync|1", await FileRateAsync(duration, concurrency));
            foreach (var writers in Writers)
            {
                Add(rounds, $"PostgreSQL|{writers}", await DatabaseRateAsync(cluster, writers, duration, concurrency));
            }
        }

        foreach (var (key, measured) in rounds)
        {
            var median = measured.OrderBy(m => m.Rate).ElementAt(measured.Count / 2);
            var parts = key.Split('|');
            report.AppendLine(string.Create(c, $"| {parts[0]} | {parts[1]} | {median.Rate:N0} | {median.Commits:N0} | {(median.Commits == 0 ? 0 : median.Rate / median.Commits):F1} |"));
            Console.Error.WriteLine(string.Create(c, $"bench: {key}: rounds {string.Join(", ", measured.Select(m => m.Rate.ToString("N0", c)))} records/s"));
        }

        report.AppendLine();
        report.AppendLine(string.Create(c, $"| /predict (1 text per request, {concurrency} clients), one replica | requests/s | p50 ms | p99 ms |"));
        report.AppendLine("| --- | ---: | ---: | ---: |");
        string[] common = ["--OnnxRuntime:IntraOpThreads=1"];
        var database = cluster.CreateDatabase("bench");
        var results = new Dictionary<string, List<(double Rps, double P50, double P99)>>(StringComparer.Ordinal) { ["file store, Fsync"] = [], ["PostgreSQL store"] = [] };
        await using (var file = await ServiceProcess.StartAsync(serviceDll, modelPath, [.. common, "--Audit:Durability=Fsync"]))
        await using (var postgres = await ServiceProcess.StartAsync(serviceDll, modelPath, [.. common, "--Audit:Store=Postgres", $"--ConnectionStrings:Audit={database}", "--Audit:WriterId=bench"]))
        {
            await AuditBenchmark.PredictLoadAsync(file.Client, TimeSpan.FromSeconds(2), concurrency);
            await AuditBenchmark.PredictLoadAsync(postgres.Client, TimeSpan.FromSeconds(2), concurrency);
            for (var round = 0; round < Rounds; round++)
            {
                results["file store, Fsync"].Add(await AuditBenchmark.PredictLoadAsync(file.Client, duration, concurrency));
                results["PostgreSQL store"].Add(await AuditBenchmark.PredictLoadAsync(postgres.Client, duration, concurrency));
            }
        }

        var medians = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, measured) in results)
        {
            var median = measured.OrderBy(m => m.Rps).ElementAt(measured.Count / 2);
            medians[name] = median.Rps;
            report.AppendLine(string.Create(c, $"| {name} | {median.Rps:N0} | {median.P50:F2} | {median.P99:F2} |"));
            Console.Error.WriteLine(string.Create(c, $"bench: /predict {name}: rounds {string.Join(", ", measured.Select(m => m.Rps.ToString("N0", c)))} requests/s"));
        }

        report.AppendLine();
        report.AppendLine(string.Create(c, $"/predict on the PostgreSQL store runs at {medians["PostgreSQL store"] / medians["file store, Fsync"]:F2}x the file store in Fsync mode."));
        File.WriteAllText(outputFile, report.ToString());
        Console.Out.Write(report.ToString());
        return 0;
    }

    private static void Add(Dictionary<string, List<(double, double)>> rounds, string key, (double, double) measured)
    {
        if (!rounds.TryGetValue(key, out var list))
        {
            rounds[key] = list = [];
        }

        list.Add(measured);
    }

    private static AuditEntry Entry(string text) => new("prediction", DateTimeOffset.UtcNow, "bench", json => json.WriteString("text", text));

    private static async Task<(double Rate, double Commits)> FileRateAsync(TimeSpan duration, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("mm-bench-audit-").FullName;
        try
        {
            long commits = 0;
            var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Fsync });
            log.Committed += (_, _) => Interlocked.Increment(ref commits);
            using var stop = new CancellationTokenSource();
            var writer = log.RunAsync(stop.Token);
            var (records, seconds) = await AppendAsync([log], duration, concurrency);
            await stop.CancelAsync();
            await writer;
            return (records / seconds, commits / seconds);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(double Rate, double Commits)> DatabaseRateAsync(PostgresCluster cluster, int writers, TimeSpan duration, int concurrency)
    {
        var connectionString = cluster.CreateDatabase("rate");
        await using var database = new AuditDatabase(connectionString);
        long commits = 0;
        var logs = Enumerable.Range(0, writers).Select(i => new PostgresAuditLog(database, new PostgresAuditSettings { ConnectionString = connectionString, WriterId = $"writer-{i}" })).ToArray();
        foreach (var log in logs)
        {
            log.Committed += (_, _) => Interlocked.Increment(ref commits);
        }

        using var stop = new CancellationTokenSource();
        var running = logs.Select(l => l.RunAsync(stop.Token)).ToArray();
        await logs[0].AppendAsync([Entry("warm-up")]);
        Interlocked.Exchange(ref commits, 0);
        var (records, seconds) = await AppendAsync([.. logs], duration, concurrency);
        await stop.CancelAsync();
        await Task.WhenAll(running);
        foreach (var log in logs)
        {
            await log.DisposeAsync();
        }

        return (records / seconds, commits / seconds);
    }

    /// <summary>The appenders, spread evenly over the writers, append one record at a time for the duration.</summary>
    private static async Task<(long Records, double Seconds)> AppendAsync(IAuditWriter[] writers, TimeSpan duration, int concurrency)
    {
        var text = new string('x', 120);
        long records = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
        {
            var writer = writers[i % writers.Length];
            while (watch.Elapsed < duration)
            {
                await writer.AppendAsync([Entry(text)]);
                Interlocked.Increment(ref records);
            }
        }));
        return (records, watch.Elapsed.TotalSeconds);
    }
}
