using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelMonitor.Service.Tests.Metrics;
using ModelMonitor.Testing;
using Xunit.Abstractions;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>
/// Stopping the service (SIGTERM) while ONNX Runtime calls run: the process exits cleanly (no crash
/// under a running call), the session is released first, and every request in flight either
/// completes or fails cleanly (503, or its connection closed by the stopping server), never a 500.
/// </summary>
public sealed partial class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_with_the_default_grace_period_lets_the_requests_in_flight_complete()
    {
        var (exitCode, log, outcomes) = await StopUnderLoadAsync(TestPaths.Sst2TinyModel);

        Assert.Equal(0, exitCode);
        Assert.All(outcomes, o => Assert.Equal("200 complete", o));
        Assert.Matches(@"Model unloading: .* the 0 call\(s\) running now", log);
        Assert.Contains("ONNX Runtime session released", log, StringComparison.Ordinal);
        Assert.DoesNotContain(" ERR]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_without_a_grace_period_stops_the_running_calls_releases_the_session_and_exits_with_0()
    {
        // DistilBERT's size on one thread: a call of 512-token texts runs for many seconds, so calls
        // are surely running when the model is unloaded. No grace period: the host stops at once, and
        // the running calls are stopped through ORT's terminate flag.
        var (exitCode, log, outcomes) = await StopUnderLoadAsync(TestPaths.DistilBertShapeModel, "--shutdownTimeoutSeconds=0");

        Assert.Equal(0, exitCode);
        var unloading = Regex.Match(log, @"Model unloading: .* the (\d+) call\(s\) running now");
        Assert.True(unloading.Success, log);
        Assert.True(int.Parse(unloading.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, "No call was running when the model was unloaded.\n" + log);
        Assert.Contains("asking ONNX Runtime to stop them", log, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime session released", log, StringComparison.Ordinal);
        Assert.DoesNotContain(" ERR]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", log, StringComparison.Ordinal);
        Assert.All(outcomes, o => Assert.True(o is "200 complete" or "503" or "connection closed", o));
    }

    /// <summary>Starts the service, sends four requests of eight 512-token texts, sends SIGTERM once a call runs, and collects what happened.</summary>
    private async Task<(int ExitCode, string Log, string[] Outcomes)> StopUnderLoadAsync(string model, params string[] settings)
    {
        var port = RealProcess.FreePort();
        var alerts = Path.Combine(Path.GetTempPath(), "mm-shutdown-" + Guid.NewGuid().ToString("N"));
        using var service = RealProcess.Service(
            port,
            [
                $"--Model:Path={model}",
                "--Batching:Workers=2",
                "--OnnxRuntime:IntraOpThreads=1",
                "--Audit:Enabled=false", // the audit store's own shutdown is not what these tests are about
                $"--Alerts:OutboxDirectory={alerts}",
                $"--Drift:ReportPath={alerts}/report.json",
                .. settings,
            ]);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            await service.WaitUntilOkAsync(client, "/health/ready", TimeSpan.FromSeconds(120));

            var sentences = TestPaths.ReadTsv(TestPaths.Sst2Dev).Select(r => r.Text).ToArray();
            var texts = Enumerable.Range(0, 8).Select(i => string.Join(' ', Enumerable.Range(i * 40, 40).Select(j => sentences[j % sentences.Length]))).ToArray();
            var body = JsonSerializer.Serialize(new { texts });
            var outcomes = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var requests = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                try
                {
                    using var response = await client.PostAsync("/predict", content);
                    var text = await response.Content.ReadAsStringAsync();
                    outcomes.Enqueue(response.StatusCode switch
                    {
                        HttpStatusCode.OK when text.Split("\"label\"").Length - 1 == texts.Length => "200 complete",
                        HttpStatusCode.ServiceUnavailable => "503",
                        var other => $"{(int)other}: {text}",
                    });
                }
                catch (HttpRequestException)
                {
                    outcomes.Enqueue("connection closed");
                }
            })).ToArray();

            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!ActiveCalls().IsMatch(await client.GetStringAsync("/metrics")))
            {
                Assert.True(DateTime.UtcNow < deadline, "No ONNX Runtime call started within 120 s:\n" + service.Output);
                await Task.Delay(20);
            }

            var exitCode = await service.TerminateAsync(TimeSpan.FromSeconds(120));
            await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));
            var log = service.Output;
            output.WriteLine(string.Join("\n", outcomes.GroupBy(o => o).Select(g => $"{g.Count()} x {g.Key}")));
            output.WriteLine(string.Join("\n", log.Split('\n').Where(l => l.Contains("ModelHost", StringComparison.Ordinal))));
            Assert.Equal(4, outcomes.Count);
            return (exitCode, log, [.. outcomes]);
        }
        finally
        {
            if (Directory.Exists(alerts))
            {
                Directory.Delete(alerts, recursive: true);
            }
        }
    }

    [GeneratedRegex(@"(?m)^modelmonitor_inference_active_calls(\{[^}]*\})? [1-9]")]
    private static partial Regex ActiveCalls();
}
