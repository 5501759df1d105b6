using ModelMonitor.Service.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace ModelMonitor.Service.Logging;

/// <summary>Builds the Serilog pipeline from the <c>Log</c> section: structured, to stdout, text or JSON.</summary>
internal static class SerilogSetup
{
    private const string TextTemplate = "[{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Logger CreateLogger(IConfiguration configuration, ILogEventSink? sink = null)
    {
        var options = configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        var formatter = CreateFormatter(options);
        var configurationBuilder = new LoggerConfiguration()
            .MinimumLevel.Is(ParseLevel(options.MinimumLevel, LogEventLevel.Information))
            .Enrich.FromLogContext()
            .Filter.ByExcluding(IsHostStartFailure);
        foreach (var (source, level) in options.Overrides)
        {
            configurationBuilder.MinimumLevel.Override(source, ParseLevel(level, LogEventLevel.Information));
        }

        return sink is null
            ? configurationBuilder.WriteTo.Console(formatter).CreateLogger()
            : configurationBuilder.WriteTo.Sink(sink).CreateLogger();
    }

    public static ITextFormatter CreateFormatter(LogOptions options) =>
        string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase)
            ? new JsonFormatter(renderMessage: true)
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The generic host logs a failed start with a stack trace; Program logs the reason in one line
    /// instead, so this one event is dropped.
    /// </summary>
    internal static bool IsHostStartFailure(LogEvent logEvent) =>
        logEvent.MessageTemplate.Text == "Hosting failed to start"
        && logEvent.Properties.TryGetValue(Serilog.Core.Constants.SourceContextPropertyName, out var source)
        && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };

    private static LogEventLevel ParseLevel(string value, LogEventLevel fallback) =>
        Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level) ? level : fallback;
}
