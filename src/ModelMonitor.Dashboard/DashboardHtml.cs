using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelMonitor.Dashboard;

/// <summary>
/// Composes the one HTML page both the dashboard and the report are: the template with the style,
/// Chartist and the script inlined, and either the live settings (the page then reads the
/// service's API) or the data itself (a self-contained report). Nothing refers to another host.
/// </summary>
public static partial class DashboardHtml
{
    /// <summary>The live dashboard GET /dashboard serves.</summary>
    public static string Live(DashboardPageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = JsonSerializer.Serialize(settings, DashboardJsonContext.Default.DashboardPageSettings);
        return Compose("ModelMonitor dashboard", config, "null");
    }

    /// <summary>A self-contained report: the data and everything that draws it, in one file.</summary>
    public static string Report(DashboardData data)
    {
        ArgumentNullException.ThrowIfNull(data);

        // The serializer's default encoder escapes <, > and &, so the JSON cannot close its <script> element.
        var json = JsonSerializer.Serialize(data, DashboardJsonContext.Default.DashboardData);
        return Compose(data.Title, "{\"mode\":\"report\"}", json);
    }

    private static string Compose(string title, string config, string data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TITLE"] = WebUtility.HtmlEncode(title),
            ["CHARTIST_CSS"] = DashboardAssets.Read(DashboardAssets.ChartistStyle),
            ["STYLE"] = DashboardAssets.Read(DashboardAssets.Style),
            ["CONFIG"] = config,
            ["DATA"] = data,
            ["CHARTIST_JS"] = DashboardAssets.Read(DashboardAssets.ChartistScript),
            ["SCRIPT"] = DashboardAssets.Read(DashboardAssets.Script),
        };

        // One pass over the template: text inserted is never searched for placeholders again.
        return Placeholder().Replace(DashboardAssets.Read(DashboardAssets.Page), m => values[m.Groups[1].Value]);
    }

    [GeneratedRegex(@"\{\{([A-Z_]+)\}\}")]
    private static partial Regex Placeholder();
}
