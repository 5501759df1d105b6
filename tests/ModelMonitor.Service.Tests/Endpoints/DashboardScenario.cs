using System.Text.Json;
using ModelMonitor.Dashboard;
using ModelMonitor.Service.Tests.Metrics;
using ModelMonitor.Service.Tests.Monitoring;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// The built service as a real process on a real port of 127.0.0.1, serving the real model, after
/// the issue's scenario: SST-2 traffic with feedback labels (three evaluations), then banking77
/// queries (two evaluations, which find drift and fire alerts). Reading the audit needs the
/// admin key. Also writes the HTML report of its audit trail, as the CLI builds it.
/// </summary>
public sealed class DashboardScenario : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-dashboard-").FullName;
    private RealProcess? service;

    public int Port { get; } = RealProcess.FreePort();

    public string BaseAddress => $"http://127.0.0.1:{Port}";

    public string AuditDirectory => Path.Combine(directory, "audit");

    public string ReportPath => Path.Combine(directory, "report.html");

    /// <summary>Predictions sent: 600 SST-2 sentences and 300 banking77 queries.</summary>
    public int Predictions { get; private set; }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Where the tests leave their screenshots: artifacts/ beside the test assembly.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        service = RealProcess.Service(
            Port,
            $"--Model:Path={TestPaths.Sst2TinyModel}",
            $"--Audit:Directory={AuditDirectory}",
            $"--Alerts:OutboxDirectory={Path.Combine(directory, "alerts")}",
            $"--Drift:ReportPath={Path.Combine(directory, "alerts", "report.json")}",
            "--Drift:LiveReferenceSize=200",
            "--Drift:EvaluateEveryPredictions=0",
            "--Drift:EvaluationIntervalSeconds=3600",
            "--Drift:BaselineAccuracy=0.81",
            "--Alerts:CooldownSeconds=0",
            $"--Security:AdminApiKey={MonitoringClient.AdminKey}",
            "--Dashboard:RefreshSeconds=3600",
            "--Log:MinimumLevel=Warning");
        Client = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
        await service.WaitUntilOkAsync(Client, "/health/ready", TimeSpan.FromSeconds(60));

        var dev = MonitoringClient.Dev.Take(600).ToArray();
        foreach (var chunk in dev.Chunk(200))
        {
            var ids = await MonitoringClient.PredictAsync(Client, chunk.Select(d => d.Text));
            await MonitoringClient.FeedbackAsync(Client, ids.Zip(chunk, (id, d) => (id, d.Label)));
            await MonitoringClient.EvaluateAsync(Client);
        }

        await MonitoringClient.PredictAsync(Client, MonitoringClient.Banking.Take(300).Select(b => b.Text));
        await MonitoringClient.EvaluateAsync(Client);
        var drift = await MonitoringClient.EvaluateAsync(Client);
        Assert.NotEqual("none", drift.GetProperty("severity").GetString());
        Predictions = 900;

        // The report, exactly as `modelmonitor report --format html` writes it.
        await File.WriteAllTextAsync(ReportPath, DashboardHtml.Report(AuditReportData.Build(AuditDirectory, DateTimeOffset.UtcNow)));
    }

    /// <summary>GET with the admin key (reading the audit needs it here).</summary>
    public async Task<JsonElement> GetAsync(string pathAndQuery) =>
        JsonDocument.Parse(await MonitoringClient.GetAuditAsync(Client, pathAndQuery)).RootElement.Clone();

    public Task DisposeAsync()
    {
        Client.Dispose();
        service?.Dispose();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}
