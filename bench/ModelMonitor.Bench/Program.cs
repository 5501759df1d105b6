using System.Globalization;
using ModelMonitor.Bench;

// stats [size] [repeat] [data-file] [output-json]
// audit <service-dll> <model-dir> [seconds] [concurrency] [output-md]
// throughput <service-dll> <peer-dir> <dev-tsv> <seconds> <threads> <output-md> <model-dir>...
// feedback-lookup <service-dll> <model-dir> [records] [output-md]
// throughput-ab <baseline-dll> <candidate-dll> <dev-tsv> <model-dir> <rounds> <seconds> <threads> [SIZExCONCURRENCY]...
// rss-ab <baseline-dll> <candidate-dll> <dev-tsv> <model-dir> <rounds> <seconds> <threads> [SIZExCONCURRENCY]...
// tokenize-ab <baseline-inference-dll> <model-dir> <tsv> [rounds]
// raw-ab <baseline-bench-dll> <candidate-bench-dll> <dev-tsv> <rounds> <seconds> <threads> <model-dir>...
// cost-growth <service-dll> <model-dir> <train-tsv> <dev-tsv> <drifted-tsv> <output-md> [repeats] [store-size]...
// raw-serve <model-dir> <dev-tsv> <threads>   (the child of raw-ab)
// raw-best <service-dll> <dev-tsv> <seconds> <threads> <rounds> <output-md> <model-dir>...
// raw-setup <model-dir> <dev-tsv> <workers> <intra-op-threads> <spin|nospin> <batch> <shared|own>   (the child of raw-best)
switch (args.FirstOrDefault())
{
    case "stats":
        return StatsBenchmark.Run(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7,
            args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "modelmonitor-stats-bench.bin"),
            args.Length > 4 ? args[4] : "stats-dotnet.json");
    case "audit" when args.Length >= 3:
        return await AuditBenchmark.RunAsync(
            args[1],
            args[2],
            TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10),
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32,
            args.Length > 5 ? args[5] : "audit.md");
    case "pg-store" when args.Length >= 3:
        return await PostgresStoreBenchmark.RunAsync(
            args[1],
            args[2],
            TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10),
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 32,
            args.Length > 5 ? args[5] : "pg-store.md");
    case "throughput" when args.Length >= 6:
        // throughput <service-dll> <peer-dir> <dev-tsv> <seconds> <threads> <output-md> <model-dir>...
        return await ThroughputBenchmark.RunAsync(args[1], args[2], args[3], args[7..], double.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args[6]);
    case "throughput-ab" or "rss-ab" when args.Length >= 8:
        {
            // throughput-ab | rss-ab <baseline-dll> <candidate-dll> <dev-tsv> <model-dir> <rounds> <seconds> <threads> [size x concurrency]...
            var rounds = int.Parse(args[5], CultureInfo.InvariantCulture);
            var seconds = double.Parse(args[6], CultureInfo.InvariantCulture);
            var threads = int.Parse(args[7], CultureInfo.InvariantCulture);
            (int Size, int Concurrency)[] loads = args.Length > 8
                ? [.. args[8..].Select(a => a.Split('x')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))]
                : [(1, 32), (16, 32)];
            return args[0] == "rss-ab"
                ? await RssAbBenchmark.RunAsync(args[1], args[2], args[3], args[4], rounds, seconds, threads, loads)
                : await ThroughputAbBenchmark.RunAsync(args[1], args[2], args[3], args[4], rounds, seconds, threads, loads);
        }

    case "feedback-lookup" when args.Length >= 3:
        return await FeedbackLookupBenchmark.RunAsync(
            args[1],
            args[2],
            args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1_000_000,
            args.Length > 4 ? args[4] : "feedback-lookup.md");
    case "tokenize-ab" when args.Length >= 4:
        return TokenizeAbBenchmark.Run(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 7);
    case "raw-ab" when args.Length >= 8:
        // raw-ab <baseline-bench-dll> <candidate-bench-dll> <dev-tsv> <rounds> <seconds> <threads> <model-dir>...
        return await RawAbBenchmark.RunAsync(
            args[1],
            args[2],
            args[3],
            int.Parse(args[4], CultureInfo.InvariantCulture),
            double.Parse(args[5], CultureInfo.InvariantCulture),
            int.Parse(args[6], CultureInfo.InvariantCulture),
            args[7..]);
    case "raw-best" when args.Length >= 8:
        // raw-best <service-dll> <dev-tsv> <seconds> <threads> <rounds> <output-md> <model-dir>...
        return await RawBestBenchmark.RunAsync(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), args[6], args[7..]);
    case "raw-setup" when args.Length == 8:
        return RawBestBenchmark.Serve(args[1], args[2], RawSetup.Parse(args[3..]));
    case "cost-growth" when args.Length >= 7:
        // cost-growth <service-dll> <model-dir> <train-tsv> <dev-tsv> <drifted-tsv> <output-md> [repeats] [store-size]...
        return await CostGrowthBenchmark.RunAsync(args[1], args[2], args[3], args[4], args[5], args[6], args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 3, args.Length > 8 ? [.. args[8..].Select(a => long.Parse(a, CultureInfo.InvariantCulture))] : [10_000, 100_000, 1_000_000]);
    case "raw-serve" when args.Length == 4:
        return RawAbBenchmark.Serve(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
    default:
        Console.Error.WriteLine("usage: ModelMonitor.Bench stats [size] [repeat] [data-file] [output-json]");
        Console.Error.WriteLine("       ModelMonitor.Bench throughput <service-dll> <peer-dir> <dev-tsv> <seconds> <threads> <output-md> <model-dir>...");
        Console.Error.WriteLine("       ModelMonitor.Bench throughput-ab <baseline-dll> <candidate-dll> <dev-tsv> <model-dir> <rounds> <seconds> <threads> [SIZExCONCURRENCY]...");
        Console.Error.WriteLine("       ModelMonitor.Bench rss-ab <baseline-dll> <candidate-dll> <dev-tsv> <model-dir> <rounds> <seconds> <threads> [SIZExCONCURRENCY]...");
        Console.Error.WriteLine("       ModelMonitor.Bench tokenize-ab <baseline-inference-dll> <model-dir> <tsv> [rounds]");
        Console.Error.WriteLine("       ModelMonitor.Bench raw-ab <baseline-bench-dll> <candidate-bench-dll> <dev-tsv> <rounds> <seconds> <threads> <model-dir>...");
        Console.Error.WriteLine("       ModelMonitor.Bench raw-best <service-dll> <dev-tsv> <seconds> <threads> <rounds> <output-md> <model-dir>...");
        Console.Error.WriteLine("       ModelMonitor.Bench audit <service-dll> <model-dir> [seconds] [concurrency] [output-md]");
        Console.Error.WriteLine("       ModelMonitor.Bench pg-store <service-dll> <model-dir> [seconds] [concurrency] [output-md]");
        Console.Error.WriteLine("       ModelMonitor.Bench cost-growth <service-dll> <model-dir> <train-tsv> <dev-tsv> <drifted-tsv> <output-md> [repeats] [store-size]...");
        Console.Error.WriteLine("       ModelMonitor.Bench feedback-lookup <service-dll> <model-dir> [records] [output-md]");
        return 2;
}
