using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Alerts;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Cli.Tests.Report;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-cli-report-").FullName;
    private readonly DateTimeOffset start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task WriteAsync(Severity severity)
    {
        var breaches = severity == Severity.None ? Array.Empty<Breach>() : [new Breach(AlertTypes.OutputDrift, severity, "outputs drifted", ["confidence"], ["confidence: ks 0.2"])];
        var evaluation = new DriftEvaluation(1, start.AddMinutes(5), new WindowInfo(300, 40, start, start.AddMinutes(4)), 1000, null, [], PerformanceSnapshot.Compute([1, 0, 1, 1], [1, 0, 0, 1], 2), PerformanceBaseline.None, breaches, severity, severity == Severity.None ? "none" : "output_drift");
        var alerts = new AlertTracker(new AlertPolicy()).Observe(evaluation);
        var clock = new FakeTimeProvider(start);
        var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Flush }, clock);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        for (var i = 0; i < 3; i++)
        {
            clock.SetUtcNow(start.AddMinutes(i));
            await log.AppendAsync([new AuditEntry(MonitoringAuditRecords.PredictionKind, start.AddMinutes(i), "r" + i, json => json.WriteString("label", "POSITIVE"))]);
        }

        clock.SetUtcNow(start.AddMinutes(5));
        await log.AppendAsync([MonitoringAuditRecords.Evaluation(evaluation), .. alerts.Select(a => MonitoringAuditRecords.Alert(a))]);
        await stop.CancelAsync();
        await writer;
        await log.DisposeAsync();
    }

    [Fact]
    public async Task Report_rebuilds_counts_performance_and_alerts_and_exits_one_on_drift()
    {
        await WriteAsync(Severity.Medium);
        var (exit, output, _) = Run("report", "--audit-dir", directory);
        Assert.Equal(1, exit);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal(3, root.GetProperty("predictions").GetInt32());
        Assert.Equal("2026-11-22T08:00:00+00:00", root.GetProperty("period_from").GetString());
        Assert.Equal(0.75, root.GetProperty("performance").GetProperty("accuracy_mean").GetDouble());
        Assert.Equal(1, root.GetProperty("drift").GetProperty("alerts_by_type").GetProperty("output_drift").GetInt32());
        Assert.Equal("medium", root.GetProperty("last_alerts")[0].GetProperty("severity").GetString());
        Assert.Equal(Playbook.CheckUpstream, root.GetProperty("recommendations")[0].GetString());
    }

    [Fact]
    public async Task Report_exits_zero_when_the_latest_evaluation_is_clean_and_can_write_a_file()
    {
        await WriteAsync(Severity.None);
        var file = Path.Combine(directory, "report.json");
        var (exit, output, error) = Run("report", "--audit-dir", directory, "--output", file);
        Assert.Equal(0, exit);
        Assert.Empty(output);
        Assert.Contains("3 predictions, 1 evaluations", error, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal("none", report.RootElement.GetProperty("drift").GetProperty("current_severity").GetString());
    }

    [Fact]
    public void A_missing_audit_directory_is_an_error()
    {
        var (exit, _, error) = Run("report", "--audit-dir", Path.Combine(directory, "nope"));
        Assert.Equal(2, exit);
        Assert.Contains("no audit directory", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
