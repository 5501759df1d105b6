using System.Text.Json;
using ModelMonitor.Service.Tests.Hosting;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Logging;

/// <summary>The built service, started from another working directory, as an operator or a container runs it.</summary>
public sealed class ShippedSettingsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Appsettings_is_read_from_the_applications_folder_and_json_logs_are_one_object_per_line()
    {
        var elsewhere = Directory.CreateTempSubdirectory("mm-elsewhere-").FullName;
        try
        {
            Assert.False(File.Exists(Path.Combine(elsewhere, "appsettings.json")));
            await using var service = await RunningService.StartAsync(elsewhere, Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={TestPaths.Sst2TinyModel}", "--Log:Format=json");
            using var http = new HttpClient { BaseAddress = service.Address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
            request.Headers.Add("X-Request-Id", "shipped-settings-1");
            using var response = await http.SendAsync(request);
            var requestLine = await service.WaitForLineAsync(l => l.Contains("shipped-settings-1", StringComparison.Ordinal) && l.Contains("\"Elapsed\"", StringComparison.Ordinal), Timeout);

            // Every line is one JSON object, and each carries the Application property that only the shipped appsettings.json sets.
            var lines = service.Lines;
            Assert.NotEmpty(lines);
            foreach (var line in lines)
            {
                using var parsed = JsonDocument.Parse(line);
                Assert.Equal("ModelMonitor", parsed.RootElement.GetProperty("Application").GetString());
            }

            using var logged = JsonDocument.Parse(requestLine);
            Assert.Equal("shipped-settings-1", logged.RootElement.GetProperty("RequestId").GetString());
            Assert.Equal((int)response.StatusCode, logged.RootElement.GetProperty("StatusCode").GetInt32());
            Assert.Equal("/no-such-page", logged.RootElement.GetProperty("RequestPath").GetString());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task An_invalid_serilog_section_stops_startup_with_one_line()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={TestPaths.Sst2TinyModel}", "--Serilog:MinimumLevel:Default=Loud");
        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains("Serilog section is invalid", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
