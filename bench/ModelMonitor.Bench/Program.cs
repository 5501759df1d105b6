using System.Globalization;
using ModelMonitor.Bench;

// bench stats [size] [repeat] [data-file] [output-json]
if (args.Length == 0 || args[0] != "stats")
{
    Console.Error.WriteLine("usage: ModelMonitor.Bench stats [size] [repeat] [data-file] [output-json]");
    return 2;
}

var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var repeat = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
var dataFile = args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "modelmonitor-stats-bench.bin");
var output = args.Length > 4 ? args[4] : "stats-dotnet.json";
return StatsBenchmark.Run(size, repeat, dataFile, output);
