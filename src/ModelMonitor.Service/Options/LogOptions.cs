namespace ModelMonitor.Service.Options;

/// <summary>How the service logs (section <c>Log</c>): plain text or JSON lines on stdout.</summary>
public sealed class LogOptions
{
    public const string Section = "Log";

    /// <summary><c>text</c> or <c>json</c>.</summary>
    public string Format { get; set; } = "text";

    public string MinimumLevel { get; set; } = "Information";

    /// <summary>Per-namespace minimum levels, such as <c>Microsoft.AspNetCore: Warning</c>.</summary>
    public Dictionary<string, string> Overrides { get; set; } = new(StringComparer.Ordinal);
}
