using System.CommandLine;
using System.Globalization;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Cli.Drift;

/// <summary>
/// <c>modelmonitor drift --reference ref.csv --current cur.csv [--columns ...] [--format text|json] [--output report.json]</c>:
/// compares two datasets column by column. Exit 0 when nothing drifted, 1 when something did, 2 on error.
/// </summary>
internal static class DriftCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var reference = new Option<string>("--reference") { Description = "Reference dataset (CSV with a header row, or JSON Lines).", Required = true };
        var current = new Option<string>("--current") { Description = "Current dataset, in the same layout.", Required = true };
        var columns = new Option<string[]>("--columns") { Description = "Columns to compare (comma- or space-separated); default: every column in both files.", AllowMultipleArgumentsPerToken = true };
        var types = new Option<string[]>("--type") { Description = "Override a column's type: NAME=numeric or NAME=categorical (repeatable)." };
        var format = new Option<string>("--format") { Description = "Report format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var outputFile = new Option<string?>("--output") { Description = "Write the report to this file instead of standard output." };
        var inputFormat = new Option<string?>("--input-format") { Description = "Read both files as csv or jsonl (default: by extension, .jsonl/.ndjson are JSON Lines)." };
        inputFormat.AcceptOnlyFromAmong("csv", "jsonl");
        var alpha = new Option<double>("--alpha") { Description = "Significance level for corrected p-values.", DefaultValueFactory = _ => new ModelMonitor.Statistics.Drift.DriftThresholds().Alpha };
        var correction = new Option<string>("--correction") { Description = "Multiple-testing correction across columns.", DefaultValueFactory = _ => "bh" };
        correction.AcceptOnlyFromAmong("bh", "bonferroni", "none");
        var bins = new Option<int>("--bins") { Description = "Reference-quantile bins for numeric PSI and Jensen-Shannon.", DefaultValueFactory = _ => PopulationStability.DefaultBins };

        var command = new Command("drift", "Compare a current dataset with a reference, column by column (exit 0: no drift, 1: drift, 2: error).");
        foreach (var option in new Option[] { reference, current, columns, types, format, outputFile, inputFormat, alpha, correction, bins })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                var thresholds = new DriftThresholds
                {
                    Alpha = parse.GetValue(alpha),
                    Correction = parse.GetValue(correction) switch
                    {
                        "bonferroni" => Correction.Bonferroni,
                        "none" => Correction.None,
                        _ => Correction.BenjaminiHochberg,
                    },
                    Bins = parse.GetValue(bins),
                };
                thresholds.Validate();
                var overrides = ParseTypes(parse.GetValue(types) ?? []);
                var requested = (parse.GetValue(columns) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                var referenceData = TableReader.Read(parse.GetValue(reference)!, parse.GetValue(inputFormat), error);
                var currentData = TableReader.Read(parse.GetValue(current)!, parse.GetValue(inputFormat), error);
                var report = DriftAnalysis.Analyze(referenceData, currentData, requested, overrides, thresholds, error);
                var target = parse.GetValue(outputFile);
                if (target is null)
                {
                    DriftReportWriter.Write(report, parse.GetValue(format)!, output);
                }
                else
                {
                    using (var file = new StreamWriter(target))
                    {
                        DriftReportWriter.Write(report, parse.GetValue(format)!, file);
                    }

                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.DriftedColumns} of {report.ColumnsCompared} columns drifted; report written to {target}"));
                }

                return report.DriftDetected ? CliApp.DriftFound : CliApp.Ok;
            }
            catch (Exception e) when (e is CliInputException or StatisticsInputException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"modelmonitor drift: {e.Message}");
                return CliApp.Error;
            }
        });
        return command;
    }

    private static Dictionary<string, FeatureKind> ParseTypes(IEnumerable<string> values)
    {
        var overrides = new Dictionary<string, FeatureKind>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1] is not ("numeric" or "categorical"))
            {
                throw new CliInputException($"--type takes NAME=numeric or NAME=categorical; got '{value}'.");
            }

            overrides[parts[0]] = parts[1] == "numeric" ? FeatureKind.Numeric : FeatureKind.Categorical;
        }

        return overrides;
    }
}
