namespace ModelMonitor.Service.Options;

/// <summary>
/// How the service logs (section <c>Log</c>): the console format. Levels, enrichers and extra sinks
/// are Serilog's own <c>Serilog</c> section; <see cref="MinimumLevel"/> and <see cref="Overrides"/>
/// are an older shorthand for them that, when set, wins over that section.
/// </summary>
public sealed class LogOptions
{
    public const string Section = "Log";

    /// <summary><c>text</c> (readable lines) or <c>json</c> (compact JSON lines for log shippers).</summary>
    public string Format { get; set; } = "text";

    /// <summary>Shorthand for <c>Serilog:MinimumLevel:Default</c>; unset: the Serilog section decides.</summary>
    public string? MinimumLevel { get; set; }

    /// <summary>Shorthand for <c>Serilog:MinimumLevel:Override</c>: per-namespace minimum levels.</summary>
    public Dictionary<string, string> Overrides { get; set; } = new(StringComparer.Ordinal);
}
