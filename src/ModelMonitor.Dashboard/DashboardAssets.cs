using System.Collections.Concurrent;
using System.Reflection;

namespace ModelMonitor.Dashboard;

/// <summary>
/// The page's files, embedded in this assembly (so they ship inside it, in the build and in
/// <c>dotnet publish</c> output alike): the HTML template, the script, the style, and Chartist.
/// </summary>
internal static class DashboardAssets
{
    public const string Page = "page.html";
    public const string Script = "dashboard.js";
    public const string Style = "dashboard.css";
    public const string ChartistScript = "chartist.js";
    public const string ChartistStyle = "chartist.css";

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Read(string name) => Cache.GetOrAdd(name, static name =>
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("ModelMonitor.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // Inlined into <script> and <style> elements: a closing tag inside would end them early.
        if (name != Page && (text.Contains("</script", StringComparison.OrdinalIgnoreCase) || text.Contains("</style", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"The dashboard asset '{name}' contains a closing script or style tag and cannot be inlined.");
        }

        return text;
    });

    /// <summary>The names of every embedded asset (for tests).</summary>
    public static IReadOnlyList<string> All { get; } = [Page, Script, Style, ChartistScript, ChartistStyle];

    internal static Assembly Assembly => typeof(DashboardAssets).Assembly;
}
