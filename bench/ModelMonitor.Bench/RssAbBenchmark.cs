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
        var texts = TsvTexts.Read(devTsv);
        var duration = TimeSpan.FromSeconds(seconds);
        // Indexed by side (0 baseline, 1 candidate), not by path, so an A/A run of one build keeps two series.
        string[] dlls = [baselineDll, candidateDll];
        List<double>[] peaks = [[], []];
        List<double>[] rests = [[], []];
        var unanswered = new long[2];
        for (var round = 0; round < rounds; round++)
        {
            int[] order = round % 2 == 0 ? [0, 1] : [1, 0];
            foreach (var side in order)
            {
                await using var subject = await ThroughputBenchmark.Subject.StartAsync("dotnet", ThroughputAbBenchmark.SubjectArguments(dlls[side], model, threads, "mm-bench-rss-"), "/health/ready");
                // The startup's own work (reference scoring, the compaction after it) settles first.
                await Task.Delay(TimeSpan.FromSeconds(3));
                rests[side].Add(subject.RssMegabytes());
                foreach (var (size, concurrency) in loads)
                {
                    var (_, _, _, _, refused, failed) = await ThroughputBenchmark.LoadAsync(subject.Client, texts, size, concurrency, duration);
                    unanswered[side] += refused + failed;
                }

                peaks[side].Add(subject.PeakRssMegabytes());
            }

            Console.Error.WriteLine(string.Create(c, $"bench rss-ab round {round + 1}: baseline {peaks[0][^1]:N0} MB, candidate {peaks[1][^1]:N0} MB"));
        }

        var report = new StringBuilder();
        var loadText = string.Join(" then ", loads.Select(l => $"{l.Size} × {l.Concurrency}"));
        report.AppendLine(string.Create(c, $"Peak RSS (VmHWM, MB) on {Path.GetFileName(model.TrimEnd('/'))}, {rounds} rounds of fresh processes, each loaded {loadText} for {seconds:F0} s per load; medians."));
        report.AppendLine();
        report.AppendLine("| | baseline | candidate | candidate − baseline |");
        report.AppendLine("| --- | ---: | ---: | ---: |");
        var (restA, restB) = (Medians.Of(rests[0]), Medians.Of(rests[1]));
        var (peakA, peakB) = (Medians.Of(peaks[0]), Medians.Of(peaks[1]));
        report.AppendLine(string.Create(c, $"| at rest (VmRSS 3 s after ready) | {restA:N0} | {restB:N0} | {restB - restA:+0;-0;0} |"));
        report.AppendLine(string.Create(c, $"| peak under load | {peakA:N0} | {peakB:N0} | **{peakB - peakA:+0;-0;0}** |"));
        report.AppendLine();
        report.AppendLine(string.Create(c, $"Rounds (baseline/candidate peak): {string.Join(", ", peaks[0].Zip(peaks[1], (a, b) => $"{a:N0}/{b:N0}"))}."));
        report.AppendLine(string.Create(c, $"Requests refused or failed: baseline {unanswered[0]:N0}, candidate {unanswered[1]:N0}."));
        Console.Out.Write(report.ToString());
        return 0;
    }
}
