using System.Globalization;
using System.Text;

namespace ModelMonitor.Bench;

/// <summary>
/// Peak resident memory of two builds, each round in fresh processes: the peak of one process
/// under load varies by ±10 MB from run to run (ORT's arena, glibc's arenas, when the GC runs), so
/// one process per build, as <see cref="ThroughputAbBenchmark"/> keeps, cannot tell a few megabytes
/// apart. Each round starts the baseline and the candidate one after the other (the order
/// alternating), reads its RSS at rest (VmRSS 3 s after ready), runs the same loads through each and
/// reads its peak (VmHWM) at the end; the report gives the medians and every round's pair, and says
/// when a build refused or failed requests (a build that sheds load would look smaller).
/// </summary>
internal static class RssAbBenchmark
{
    public static async Task<int> RunAsync(string baselineDll, string candidateDll, string devTsv, string model, int rounds, double seconds, int threads, (int Size, int Concurrency)[] loads)
    {
        var c = CultureInfo.InvariantCulture;
        var texts = File.ReadAllLines(devTsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[0]).ToArray();
        var duration = TimeSpan.FromSeconds(seconds);
        var peaks = new Dictionary<string, List<double>> { [baselineDll] = [], [candidateDll] = [] };
        var rests = new Dictionary<string, List<double>> { [baselineDll] = [], [candidateDll] = [] };
        var unanswered = new Dictionary<string, long> { [baselineDll] = 0, [candidateDll] = 0 };
        for (var round = 0; round < rounds; round++)
        {
            string[] order = round % 2 == 0 ? [baselineDll, candidateDll] : [candidateDll, baselineDll];
            foreach (var dll in order)
            {
                await using var subject = await ThroughputBenchmark.Subject.StartAsync("dotnet", ThroughputAbBenchmark.SubjectArguments(dll, model, threads, "mm-bench-rss-"), "/health/ready");
                // The startup's own work (reference scoring, the compaction after it) settles first.
                await Task.Delay(TimeSpan.FromSeconds(3));
                rests[dll].Add(subject.RssMegabytes());
                foreach (var (size, concurrency) in loads)
                {
                    var (_, _, _, _, refused, failed) = await ThroughputBenchmark.LoadAsync(subject.Client, texts, size, concurrency, duration);
                    unanswered[dll] += refused + failed;
                }

                peaks[dll].Add(subject.PeakRssMegabytes());
            }

            Console.Error.WriteLine(string.Create(c, $"bench rss-ab round {round + 1}: baseline {peaks[baselineDll][^1]:N0} MB, candidate {peaks[candidateDll][^1]:N0} MB"));
        }

        var report = new StringBuilder();
        var loadText = string.Join(" then ", loads.Select(l => $"{l.Size} × {l.Concurrency}"));
        report.AppendLine(string.Create(c, $"Peak RSS (VmHWM, MB) on {Path.GetFileName(model.TrimEnd('/'))}, {rounds} rounds of fresh processes, each loaded {loadText} for {seconds:F0} s per load; medians."));
        report.AppendLine();
        report.AppendLine("| | baseline | candidate | candidate − baseline |");
        report.AppendLine("| --- | ---: | ---: | ---: |");
        var (restA, restB) = (Medians.Of(rests[baselineDll]), Medians.Of(rests[candidateDll]));
        var (peakA, peakB) = (Medians.Of(peaks[baselineDll]), Medians.Of(peaks[candidateDll]));
        report.AppendLine(string.Create(c, $"| at rest (VmRSS 3 s after ready) | {restA:N0} | {restB:N0} | {restB - restA:+0;-0;0} |"));
        report.AppendLine(string.Create(c, $"| peak under load | {peakA:N0} | {peakB:N0} | **{peakB - peakA:+0;-0;0}** |"));
        report.AppendLine();
        report.AppendLine(string.Create(c, $"Rounds (baseline/candidate peak): {string.Join(", ", peaks[baselineDll].Zip(peaks[candidateDll], (a, b) => $"{a:N0}/{b:N0}"))}."));
        report.AppendLine(string.Create(c, $"Requests refused or failed: baseline {unanswered[baselineDll]:N0}, candidate {unanswered[candidateDll]:N0}."));
        Console.Out.Write(report.ToString());
        return 0;
    }
}
