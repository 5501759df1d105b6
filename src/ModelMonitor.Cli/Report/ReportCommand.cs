using System.CommandLine;
using System.Text.Json;
using ModelMonitor.Dashboard;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Cli.Report;

/// <summary>
/// <c>modelmonitor report --audit-dir DIR [--format json|html] [--output FILE]</c>: the monitoring
/// report GET /report serves, rebuilt offline from the audit store (predictions, feedback, drift
/// evaluations, alerts). <c>json</c> (the default) is that report; <c>html</c> is one
/// self-contained page with the dashboard's plots, its data and scripts inline.
/// Exit 0 when the latest evaluation found nothing, 1 when it found drift, 2 on error.
/// </summary>
internal static class ReportCommand
{
    public const string Json = "json";
    public const string Html = "html";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Option<string>("--audit-dir") { Description = "The audit directory (Audit:Directory).", DefaultValueFactory = _ => Audit.AuditCommand.DefaultDirectory };
        var file = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var format = new Option<string>("--format", "-f") { Description = "json (the report GET /report serves) or html (a self-contained page with the plots).", DefaultValueFactory = _ => Json };
        format.AcceptOnlyFromAmong(Json, Html);
        var command = new Command("report", "Build the monitoring report from an audit store (exit 0: no drift now, 1: drift, 2: error).");
        command.Options.Add(directory);
        command.Options.Add(format);
        command.Options.Add(file);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                error.WriteLine($"modelmonitor report: no audit directory at {path}");
                return CliApp.Error;
            }

            var html = parse.GetValue(format) == Html;
            var (text, summary, clean) = html ? HtmlReport(path) : JsonReport(path);
            if (parse.GetValue(file) is { } target)
            {
                File.WriteAllText(target, text + Environment.NewLine);
                error.WriteLine($"modelmonitor report: {summary}; written to {target}");
            }
            else
            {
                output.WriteLine(text);
            }

            return clean ? CliApp.Ok : CliApp.DriftFound;
        });
        return command;
    }

    private static (string Text, string Summary, bool Clean) JsonReport(string directory)
    {
        var builder = new ReportBuilder();
        MonitoringAuditRecords.Replay(directory, builder);
        var report = builder.Build(DateTimeOffset.UtcNow);
        return (
            JsonSerializer.Serialize(report, MonitoringJsonContext.Default.MonitoringReport),
            $"{report.Predictions} predictions, {report.Drift.Evaluations} evaluations, {report.LastAlerts.Count} recent alerts",
            report.Drift.CurrentSeverity == Severity.None);
    }

    private static (string Text, string Summary, bool Clean) HtmlReport(string directory)
    {
        var data = AuditReportData.Build(directory, DateTimeOffset.UtcNow);
        return (
            DashboardHtml.Report(data),
            $"{data.Counts.Predictions} predictions, {data.Counts.Evaluations} evaluations, {data.Alerts.Count} alerts",
            data.Now.Severity == Severity.None.Name());
    }
}
