using System.Globalization;
using System.Text;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// The Prometheus text exposition format 0.0.4: one HELP and one TYPE line per family, samples
/// after them, label values and help text escaped, and +Inf, -Inf and NaN spelled as Prometheus reads them.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void WriteFamily(StringBuilder output, MetricFamily family)
    {
        output.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
        output.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
        foreach (var sample in family.Samples)
        {
            output.Append(sample.Name);
            if (sample.Labels.Count > 0)
            {
                output.Append('{');
                for (var i = 0; i < sample.Labels.Count; i++)
                {
                    var (name, value) = sample.Labels[i];
                    output.Append(i == 0 ? "" : ",").Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
                }

                output.Append('}');
            }

            output.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
        }
    }

    /// <summary>Help text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A metric or label name as Prometheus allows it: [a-zA-Z_:][a-zA-Z0-9_:]*; other characters become '_', a leading digit gets a '_' before it.</summary>
    public static string SanitizeName(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        return builder.ToString();
    }
}

/// <summary>One sample line: its full name (with _bucket, _sum or _count for histograms), labels and value.</summary>
internal sealed record MetricSample(string Name, IReadOnlyList<(string Name, string Value)> Labels, double Value);

/// <summary>A metric family: name, help, type (counter, gauge, histogram) and its samples.</summary>
internal sealed record MetricFamily(string Name, string Help, string Type, IReadOnlyList<MetricSample> Samples);
