using System.CommandLine;
using System.Text.Json;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Cli.Report;

/// <summary>
/// <c>modelmonitor report --audit-dir DIR [--output FILE]</c>: the monitoring report GET /report
/// serves, rebuilt offline from the audit store (predictions, feedback, drift evaluations, alerts).
/// Exit 0 when the latest evaluation found nothing, 1 when it found drift, 2 on error.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Option<string>("--audit-dir") { Description = "The audit directory (Audit:Directory).", DefaultValueFactory = _ => Audit.AuditCommand.DefaultDirectory };
        var file = new Option<string?>("--output", "-o") { Description = "Write the JSON report to this file instead of standard output." };
        var command = new Command("report", "Build the monitoring report from an audit store (exit 0: no drift now, 1: drift, 2: error).");
        command.Options.Add(directory);
        command.Options.Add(file);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                error.WriteLine($"modelmonitor report: no audit directory at {path}");
                return CliApp.Error;
            }

            var builder = new ReportBuilder();
            MonitoringAuditRecords.Replay(path, builder);
            var report = builder.Build(DateTimeOffset.UtcNow);
            var json = JsonSerializer.Serialize(report, MonitoringJsonContext.Default.MonitoringReport);
            if (parse.GetValue(file) is { } target)
            {
                File.WriteAllText(target, json + Environment.NewLine);
                error.WriteLine($"modelmonitor report: {report.Predictions} predictions, {report.Drift.Evaluations} evaluations, {report.LastAlerts.Count} recent alerts; written to {target}");
            }
            else
            {
                output.WriteLine(json);
            }

            return report.Drift.CurrentSeverity == ModelMonitor.Monitoring.Drift.Severity.None ? CliApp.Ok : CliApp.DriftFound;
        });
        return command;
    }
}
