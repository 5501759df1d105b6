using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using ModelMonitor.Audit;

namespace ModelMonitor.Bench;

/// <summary>
/// Late labels: the time of one POST /feedback with 1,000 ids of predictions long gone from the live
/// window, on a store of N records, against one with 1,000 ids still in the window. Late ids are
/// found in the audit by binary search, so the ratio should stay small however large the store.
/// </summary>
internal static class FeedbackLookupBenchmark
{
    private const int Labels = 1000;
    private const int Rounds = 5;

    public static async Task<int> RunAsync(string serviceDll, string modelPath, long records, string outputFile)
    {
        var c = CultureInfo.InvariantCulture;
        var directory = Directory.CreateTempSubdirectory("mm-bench-feedback-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var late = await BuildStoreAsync(directory, records);
            var bytes = AuditSegments.List(directory).Sum(s => new FileInfo(s).Length);
            Console.Error.WriteLine(string.Create(c, $"bench: wrote {records:N0} records ({bytes / 1048576.0:N0} MB) in {watch.Elapsed.TotalSeconds:F1} s"));

            await using var service = await ServiceProcess.StartAsync(serviceDll, modelPath, [], directory);
            Console.Error.WriteLine(string.Create(c, $"bench: service ready on the store in {service.Startup.TotalSeconds:F1} s"));
            var recent = new List<string>();
            for (var i = 0; i < Labels / 16; i++)
            {
                using var response = await service.Client.PostAsJsonAsync("/predict", new { texts = Enumerable.Range(0, 16).Select(j => $"a fine film number {i * 16 + j}") });
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                recent.AddRange(body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            }

            recent = recent.Take(Labels).ToList();
            var inWindow = new List<double>();
            var lateTimes = new List<double>();
            await PostAsync(service.Client, recent);
            await PostAsync(service.Client, late);
            for (var round = 0; round < Rounds; round++)
            {
                inWindow.Add(await PostAsync(service.Client, recent));
                lateTimes.Add(await PostAsync(service.Client, late));
            }

            var inMedian = inWindow.Order().ElementAt(Rounds / 2);
            var lateMedian = lateTimes.Order().ElementAt(Rounds / 2);
            var report = new StringBuilder();
            report.AppendLine(string.Create(c, $"Late labels, one run on this machine ({Environment.ProcessorCount} cores): one POST /feedback of {Labels:N0} labels, median of {Rounds} alternating rounds."));
            report.AppendLine();
            report.AppendLine("| store | labels | in the live window | late (found in the audit) | late / in window |");
            report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            report.AppendLine(string.Create(c, $"| {records:N0} records, {bytes / 1048576.0:N0} MB, {AuditSegments.List(directory).Count} segments | {Labels:N0} | {inMedian:F0} ms | {lateMedian:F0} ms | {lateMedian / inMedian:F2} |"));
            report.AppendLine();
            report.AppendLine(string.Create(c, $"Time to ready on that store: {service.Startup.TotalSeconds:F1} s. The aim: late / in window at most 2."));
            File.WriteAllText(outputFile, report.ToString());
            Console.Out.Write(report.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes N prediction records as the service would, and returns 1,000 ids spread over them.</summary>
    private static async Task<List<string>> BuildStoreAsync(string directory, long records)
    {
        await using var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.None, MaxBatchRecords = 8192 });
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        var every = Math.Max(1, records / Labels);
        var picked = new List<string>();
        const int Batch = 4096;
        for (long written = 0; written < records; written += Batch)
        {
            var count = (int)Math.Min(Batch, records - written);
            var entries = Enumerable.Range(0, count).Select(i => new AuditEntry("prediction", DateTimeOffset.UtcNow, "bench-" + (written + i), json =>
            {
                json.WriteStartObject("input");
                json.WriteString("text", "an archived review that was a fine film " + (written + i));
                json.WriteEndObject();
                json.WriteString("label", "POSITIVE");
                json.WriteNumber("score", 0.9);
            })).ToArray();
            var ids = await log.AppendAsync(entries);
            for (var i = 0; i < count; i++)
            {
                if ((written + i) % every == 0 && picked.Count < Labels)
                {
                    picked.Add(ids[i]);
                }
            }
        }

        await stop.CancelAsync();
        await writer;
        return picked;
    }

    private static async Task<double> PostAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/feedback", new { feedback = ids.Select((id, i) => new { prediction_id = id, label = i % 2 }) });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        if (body.GetProperty("unknown").GetInt32() != 0)
        {
            throw new InvalidOperationException($"{body.GetProperty("unknown").GetInt32()} ids were not found.");
        }

        return watch.Elapsed.TotalMilliseconds;
    }
}
