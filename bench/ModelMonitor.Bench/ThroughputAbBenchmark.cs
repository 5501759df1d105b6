using System.Globalization;
using System.Text;

namespace ModelMonitor.Bench;

/// <summary>
/// Two builds of the service side by side on this noisy machine: both started once, then measured
/// in alternating rounds under the same load; medians and the candidate/baseline ratio per load.
/// This is how a change's measured ratio for its commit message is taken.
/// </summary>
internal static class ThroughputAbBenchmark
{
    public static async Task<int> RunAsync(string baselineDll, string candidateDll, string devTsv, string model, int rounds, double seconds, int threads, (int Size, int Concurrency)[] loads)
    {
        var c = CultureInfo.InvariantCulture;
        var texts = TsvTexts.Read(devTsv);
        await using var baseline = await ThroughputBenchmark.Subject.StartAsync("dotnet", SubjectArguments(baselineDll, model, threads, "mm-bench-ab-"), "/health/ready");
        await using var candidate = await ThroughputBenchmark.Subject.StartAsync("dotnet", SubjectArguments(candidateDll, model, threads, "mm-bench-ab-"), "/health/ready");
        var report = new StringBuilder();
        report.AppendLine(string.Create(c, $"A/B on {Path.GetFileName(model.TrimEnd('/'))}, {rounds} alternating rounds of {seconds:F0} s, {threads} inference threads (split as the service does by default unless a subject says otherwise); medians (texts/s)."));
        report.AppendLine();
        report.AppendLine("| texts/request | concurrency | baseline | candidate | candidate/baseline |");
        report.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var (size, concurrency) in loads)
        {
            await ThroughputBenchmark.LoadAsync(baseline.Client, texts, size, concurrency, ThroughputBenchmark.WarmUp(TimeSpan.FromSeconds(seconds)));
            await ThroughputBenchmark.LoadAsync(candidate.Client, texts, size, concurrency, ThroughputBenchmark.WarmUp(TimeSpan.FromSeconds(seconds)));
            var a = new List<double>();
            var b = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so a drift in the machine's speed hits both alike.
                var order = round % 2 == 0 ? new[] { (baseline, a), (candidate, b) } : [(candidate, b), (baseline, a)];
                foreach (var (subject, results) in order)
                {
                    var (textsPerSecond, _, _, _, _, _) = await ThroughputBenchmark.LoadAsync(subject.Client, texts, size, concurrency, TimeSpan.FromSeconds(seconds));
                    results.Add(textsPerSecond);
                }

                Console.Error.WriteLine(string.Create(c, $"bench ab: {size} x {concurrency} round {round + 1}: baseline {a[^1]:N0} candidate {b[^1]:N0}"));
            }

            var (ma, mb) = (Medians.Of(a), Medians.Of(b));
            report.AppendLine(string.Create(c, $"| {size} | {concurrency} | {ma:N0} | {mb:N0} | **{mb / ma:F2}x** |"));
        }

        // Peak resident memory of each service over the whole run (/proc/<pid>/status VmHWM), same loads for both.
        report.AppendLine();
        report.AppendLine(string.Create(c, $"Peak RSS over the run (VmHWM): baseline {baseline.PeakRssMegabytes():N0} MB, candidate {candidate.PeakRssMegabytes():N0} MB."));
        Console.Out.Write(report.ToString());
        return 0;
    }

    /// <summary>
    /// The command line of one A/B subject: a service dll, optionally followed by "::" and its own
    /// settings, e.g. "a.dll::--Batching:CutPolicy=PaddingRatio". The subject's own settings come
    /// last, so they override the common ones (the last value wins). Each start gets a fresh audit folder.
    /// </summary>
    internal static string[] SubjectArguments(string subject, string model, int threads, string auditPrefix) =>
        [subject.Split("::")[0], "--urls", "{url}", $"--Model:Path={model}", .. ThroughputBenchmark.ServiceThreadArguments(threads), "--Log:MinimumLevel=Warning", $"--Audit:Directory={Path.Combine(Path.GetTempPath(), auditPrefix + Guid.NewGuid().ToString("N"))}", .. subject.Split("::").Skip(1).SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
}
