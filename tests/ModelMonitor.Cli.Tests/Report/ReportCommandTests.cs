using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
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

    [Fact]
    public async Task Html_format_writes_one_self_contained_page_holding_the_reports_data()
    {
        await WriteAsync(Severity.Medium);
        var file = Path.Combine(directory, "report.html");
        var (exit, output, error) = Run("report", "--audit-dir", directory, "--format", "html", "--output", file);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("3 predictions, 1 evaluations, 1 alerts; written to", error, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(file);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);

        // Self-contained: the only address-like strings are XML namespace names, nothing is loaded by reference.
        string[] namespaces = ["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink", "http://www.w3.org/2000/xmlns/", "http://gionkunz.github.com/chartist-js/ct"];
        var addresses = Regex.Matches(html, @"(?i)(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s""'<>)]*").Select(m => m.Value).Distinct();
        Assert.All(addresses, a => Assert.Contains(a, namespaces));
        Assert.All(Regex.Matches(html, @"(?i)\b(?:src|href)\s*=\s*[""']?([^""'\s>]+)").Select(m => m.Groups[1].Value), target => Assert.StartsWith("data:", target, StringComparison.Ordinal));
        Assert.Contains("Chartist", html, StringComparison.Ordinal);

        // The data the page draws: the report's counts, the evaluation, the alert and the recommendation.
        var data = Regex.Match(html, """<script type="application/json" id="mm-data">(.*?)</script>""", RegexOptions.Singleline).Groups[1].Value;
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        Assert.Equal("report", root.GetProperty("mode").GetString());
        Assert.Equal(3, root.GetProperty("counts").GetProperty("predictions").GetInt64());
        Assert.Equal("2026-11-22T08:00:00+00:00", root.GetProperty("period_from").GetString());
        Assert.Equal("medium", root.GetProperty("now").GetProperty("severity").GetString());
        Assert.Equal(1, root.GetProperty("history").GetArrayLength());
        Assert.Equal(0.75, root.GetProperty("history")[0].GetProperty("performance").GetProperty("accuracy").GetDouble());
        Assert.Equal("output_drift", root.GetProperty("alerts")[0].GetProperty("type").GetString());
        Assert.Equal("output_drift", root.GetProperty("now").GetProperty("firing")[0].GetProperty("type").GetString());
        Assert.Equal(Playbook.CheckUpstream, root.GetProperty("recommendations")[0].GetString());
        Assert.Equal(3, root.GetProperty("traffic").GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("predictions").GetInt64()));
    }

    [Fact]
    public async Task Html_without_an_output_file_goes_to_standard_output_and_json_stays_the_default()
    {
        await WriteAsync(Severity.None);
        var (exit, output, _) = Run("report", "--audit-dir", directory, "--format", "html");
        Assert.Equal(0, exit);
        Assert.StartsWith("<!DOCTYPE html>", output, StringComparison.Ordinal);

        var (_, json, _) = Run("report", "--audit-dir", directory);
        Assert.Equal(3, JsonDocument.Parse(json).RootElement.GetProperty("predictions").GetInt32());
        var (_, explicitJson, _) = Run("report", "--audit-dir", directory, "--format", "json");
        Assert.Equal(JsonDocument.Parse(json).RootElement.GetProperty("predictions").GetInt32(), JsonDocument.Parse(explicitJson).RootElement.GetProperty("predictions").GetInt32());
    }

    [Fact]
    public void An_unknown_format_is_a_usage_error_naming_the_formats()
    {
        var (exit, output, error) = Run("report", "--audit-dir", directory, "--format", "pdf");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("'pdf'", error, StringComparison.Ordinal);
        Assert.Contains("'json'", error, StringComparison.Ordinal);
        Assert.Contains("'html'", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
