using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>A bad setting stops startup with exit code 1 and one log line that says what is wrong.</summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Missing_model_folder_stops_startup_naming_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-model-here-" + Guid.NewGuid());
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={missing}");
        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("Model:Path", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_without_model_or_tokenizer_stops_startup_listing_what_is_missing()
    {
        var directory = Directory.CreateTempSubdirectory("mm-empty-model-").FullName;
        try
        {
            File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "config.json"), Path.Combine(directory, "config.json"));
            var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={directory}");
            Assert.Equal(1, exitCode);
            var line = Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
            Assert.Contains("no ONNX model", line, StringComparison.Ordinal);
            Assert.Contains("no tokenizer", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Corrupt_model_file_stops_startup_with_onnx_runtimes_message()
    {
        var directory = Directory.CreateTempSubdirectory("mm-corrupt-model-").FullName;
        try
        {
            foreach (var file in new[] { "config.json", "tokenizer.json", "tokenizer_config.json" })
            {
                File.Copy(Path.Combine(TestPaths.Sst2TinyModel, file), Path.Combine(directory, file));
            }

            await File.WriteAllBytesAsync(Path.Combine(directory, "model.onnx"), [0x08, 0x07, 0xFF, 0xFF, 0x12]);
            var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={directory}");
            Assert.Equal(1, exitCode);
            var line = Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
            Assert.Contains("ONNX Runtime error", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Predict:MaxTexts=0", "Predict:MaxTexts must be at least 1")]
    [InlineData("--Batching:Workers=0", "Batching:Workers must be between 1 and 64")]
    [InlineData("--OnnxRuntime:IntraOpThreads=-1", "OnnxRuntime thread counts must be 0 (ORT decides) or positive")]
    [InlineData("--OnnxRuntime:LibraryPath=/no/such/libonnxruntime.so", "OnnxRuntime:LibraryPath does not point at a file")]
    [InlineData("--OnnxRuntime:ConfigEntries:=1", "OnnxRuntime:ConfigEntries needs a key and a value")]
    [InlineData("--Alerts:DashboardUrl=dashboard", "Alerts:DashboardUrl must be an absolute http or https address")]
    [InlineData("--Drift:EstimateConfidence=1", "Drift:EstimateConfidence must lie strictly between 0 and 1")]
    [InlineData("--Drift:QueueCapacity=1", "Drift:QueueCapacity must lie between 16 and 10000000")]
    [InlineData("--Drift:GatherObservationsMs=-1", "Drift:GatherObservationsMs must lie between 0 and 1000")]
    public async Task Invalid_limits_stop_startup(string setting, string message)
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={TestPaths.Sst2TinyModel}", setting);
        Assert.Equal(1, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_onnx_runtime_library_is_the_one_loaded_and_named_in_the_startup_log()
    {
        // A copy of the package's library under another name stands for a custom build.
        var directory = Directory.CreateTempSubdirectory("mm-ort-library-").FullName;
        var library = Path.Combine(directory, "libonnxruntime-custom.so");
        File.Copy(Path.Combine(Path.GetDirectoryName(ServiceProcess.ServiceAssembly)!, "runtimes", "linux-x64", "native", "libonnxruntime.so"), library);
        var port = Metrics.RealProcess.FreePort();
        try
        {
            using var service = Metrics.RealProcess.Service(port, $"--Model:Path={TestPaths.Sst2TinyModel}", $"--OnnxRuntime:LibraryPath={library}", "--Audit:Enabled=false", $"--Alerts:OutboxDirectory={directory}/alerts", $"--Drift:ReportPath={directory}/alerts/report.json");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await service.WaitUntilOkAsync(client, "/health/ready", Timeout);
            using var content = new StringContent("{\"texts\": [\"a wonderful film\"]}", System.Text.Encoding.UTF8, "application/json");
            var response = await client.PostAsync("/predict", content);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"ONNX Runtime {PinnedOnnxRuntime.Version} ({library})", service.Output, StringComparison.Ordinal);
            Assert.Contains(library, await File.ReadAllTextAsync($"/proc/{service.Id}/maps"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_built_service_runs_workstation_gc_without_background_marking_with_a_6_MiB_gen0_budget_and_says_so()
    {
        // The csproj's choice (docs/inference.md#memory), checked in a real process: a test host has its own.
        var directory = Directory.CreateTempSubdirectory("mm-gc-mode-").FullName;
        var port = Metrics.RealProcess.FreePort();
        try
        {
            using var service = Metrics.RealProcess.Service(port, $"--Model:Path={TestPaths.Sst2TinyModel}", "--Audit:Enabled=false", $"--Alerts:OutboxDirectory={directory}/alerts", $"--Drift:ReportPath={directory}/alerts/report.json");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await service.WaitUntilOkAsync(client, "/health/ready", Timeout);

            // The output is read as it comes: the line is logged before ready, but may arrive a moment after.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!service.Output.Contains("Runtime: ", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Contains("Workstation GC, latency mode Batch, gen0 budget at most 6 MiB", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Configured_sequence_limit_is_applied()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Model:MaxSequenceLength"] = "16" });
        var client = factory.CreateClient();
        using var content = new StringContent("{\"texts\": [\"" + string.Join(' ', Enumerable.Repeat("great", 40)) + "\"]}", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"token_count\":16", body, StringComparison.Ordinal);
        Assert.Contains("\"truncated\":true", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_reference_file_or_a_bad_smtp_address_stops_startup_with_the_setting_named()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={Testing.TestPaths.Sst2TinyModel}", "--Drift:ReferencePath=/nope/reference.tsv");
        Assert.Equal(1, exitCode);
        Assert.Contains("Drift:ReferencePath does not point at a file", Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal)), StringComparison.Ordinal);

        (exitCode, output) = await ServiceProcess.RunToExitAsync(Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={Testing.TestPaths.Sst2TinyModel}", "--Alerts:Smtp:Host=127.0.0.1", "--Alerts:Smtp:To:0=not an address");
        Assert.Equal(1, exitCode);
        Assert.Contains("must be e-mail addresses", output, StringComparison.Ordinal);
    }
}
