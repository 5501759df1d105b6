using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelMonitor.Cli.Drift;

/// <summary>Writes the drift report as a text table for people or as JSON for pipelines.</summary>
internal static class DriftReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(DriftReport report, string format, TextWriter output)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(report, Json));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"Drift report: {report.Current.Path} ({report.Current.Rows:N0} rows) against {report.Reference.Path} ({report.Reference.Rows:N0} rows)");
        output.WriteLine(string.Create(c, $"Drift when the {report.Thresholds.Correction}-corrected p-value < {report.Thresholds.Alpha} and PSI >= {report.Thresholds.PsiDrift}, normed Wasserstein >= {report.Thresholds.WassersteinNormed} or Jensen-Shannon >= {report.Thresholds.JensenShannon}; warning at PSI >= {report.Thresholds.PsiWarning}."));
        output.WriteLine();
        output.WriteLine(string.Create(c, $"{"column",-24} {"kind",-11} {"test",-11} {"statistic",11} {"p",11} {"p adj",11} {"psi",9} {"effect",-20} {"value",9}  verdict"));
        foreach (var column in report.Columns)
        {
            var significance = column.Tests.First(t => t.PValue is not null);
            var psi = column.Tests.First(t => t.Test == "psi").Statistic;
            output.WriteLine(string.Create(c, $"{Shorten(column.Name, 24),-24} {column.Kind,-11} {significance.Test,-11} {significance.Statistic,11:G4} {significance.PValue,11:G4} {significance.AdjustedPValue,11:G4} {psi,9:G4} {column.EffectSize,-20} {column.EffectValue,9:G4}  {column.Verdict.ToUpperInvariant()}"));
        }

        if (report.SkippedColumns.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Not compared (present in one file only): {string.Join(", ", report.SkippedColumns)}");
        }

        output.WriteLine();
        output.WriteLine(string.Create(c, $"{report.DriftedColumns} of {report.ColumnsCompared} columns drifted ({report.DriftShare:P1}); drift detected: {(report.DriftDetected ? "yes" : "no")}"));
    }

    private static string Shorten(string value, int width) => value.Length <= width ? value : value[..(width - 1)] + "…";
}
