using System.Reflection;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Settings.Configuration;

namespace ModelMonitor.Service.Logging;

/// <summary>
/// Builds the Serilog pipeline: levels, enrichers and any extra sinks from the <c>Serilog</c>
/// section (appsettings.json, environment, command line), then the console sink in the
/// <c>Log:Format</c> (text, or JSON lines for log shippers). <c>Log:MinimumLevel</c> and
/// <c>Log:Overrides</c>, the older shorthand, win over the <c>Serilog</c> section when set.
/// </summary>
internal static class SerilogSetup
{
    /// <summary>
    /// The assemblies whose sinks, enrichers and formatters the <c>Serilog</c> section may name
    /// without a <c>Using</c> list: every Serilog assembly the service ships, which is what the
    /// reader's default scan of deps.json finds. Named here, the reader does not load
    /// Microsoft.Extensions.DependencyModel's model of deps.json or System.Reflection.Metadata
    /// (docs/inference.md).
    /// </summary>
    private static readonly Assembly[] ShippedSerilogAssemblies =
    [
        typeof(Serilog.LoggerConfiguration).Assembly,
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(FileLoggerConfigurationExtensions).Assembly,
        typeof(LoggerSinkConfigurationDebugExtensions).Assembly,
        typeof(CompactJsonFormatter).Assembly,
        typeof(ConfigurationLoggerConfigurationExtensions).Assembly,
        typeof(SerilogLoggingBuilderExtensions).Assembly,
        typeof(SerilogHostBuilderExtensions).Assembly,
        typeof(SerilogApplicationBuilderExtensions).Assembly,
    ];

    private const string TextTemplate = "[{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the logging provider, configured when the host is built, so every configuration
    /// source (a test host's too) is in. Sinks registered as <see cref="ILogEventSink"/> services,
    /// and Microsoft.Extensions.Logging providers added to the services, receive every event
    /// besides the console. The static <c>Log.Logger</c> is left alone.
    /// </summary>
    public static IServiceCollection AddModelMonitorLogging(this IServiceCollection services) =>
        services.AddSerilog(
            (provider, logger) => Configure(logger, provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IOptions<LogOptions>>().Value, provider),
            preserveStaticLogger: true,
            writeToProviders: true);

    /// <summary>A logger outside any host; <paramref name="sink"/> replaces the console (tests).</summary>
    public static Logger CreateLogger(IConfiguration configuration, ILogEventSink? sink = null)
    {
        var options = configuration.GetSection(LogOptions.Section).Get<LogOptions>() ?? new LogOptions();
        return Configure(new LoggerConfiguration(), configuration, options, services: null, sink).CreateLogger();
    }

    /// <summary>
    /// The logger for the one line that says why the service could not start: as configured when
    /// the configuration is usable, plain text on the console when the logging settings are the problem.
    /// </summary>
    public static Logger CreateStartupFailureLogger(IConfiguration configuration)
    {
        try
        {
            return CreateLogger(configuration);
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            return new LoggerConfiguration().WriteTo.Console(CreateFormatter(new LogOptions())).CreateLogger();
        }
    }

    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, LogOptions options, IServiceProvider? services, ILogEventSink? sink = null)
    {
        logger.MinimumLevel.Information()
            .Enrich.FromLogContext()
            .Filter.ByExcluding(IsHostStartFailure);
        try
        {
            logger.ReadFrom.Configuration(configuration, ReaderOptions(configuration));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or IOException or BadImageFormatException)
        {
            throw new OptionsValidationException("Serilog", typeof(LogOptions), [$"The Serilog section is invalid: {e.Message}"]);
        }

        if (options.MinimumLevel is { Length: > 0 } minimum)
        {
            logger.MinimumLevel.Is(ParseLevel(minimum));
        }

        foreach (var (source, level) in options.Overrides)
        {
            logger.MinimumLevel.Override(source, ParseLevel(level));
        }

        if (services is not null)
        {
            logger.ReadFrom.Services(services);
        }

        return sink is null ? logger.WriteTo.Console(CreateFormatter(options)) : logger.WriteTo.Sink(sink);
    }

    /// <summary>
    /// The shipped assemblies and those of a <c>Serilog:Using</c> list. The reader itself ignores
    /// <c>Using</c> once it is given assemblies, so the list is loaded here; a name that does not
    /// load is a configuration error.
    /// </summary>
    private static ConfigurationReaderOptions ReaderOptions(IConfiguration configuration)
    {
        var assemblies = new List<Assembly>(ShippedSerilogAssemblies);
        foreach (var entry in configuration.GetSection("Serilog:Using").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                throw new InvalidOperationException($"{entry.Path} is empty: name an assembly.");
            }

            assemblies.Add(Assembly.Load(new AssemblyName(entry.Value)));
        }

        return new ConfigurationReaderOptions([.. assemblies.Distinct()]);
    }

    /// <summary>
    /// <c>text</c>: one readable line per event. <c>json</c>: one compact JSON object per line
    /// (CLEF: <c>@t</c>, <c>@l</c>, the rendered message <c>@m</c>, <c>@x</c>, and every property
    /// at the top level), as Seq, Vector, Fluent Bit or Loki read it.
    /// </summary>
    public static ITextFormatter CreateFormatter(LogOptions options) =>
        string.Equals(options.Format, "json", StringComparison.OrdinalIgnoreCase)
            ? new RenderedCompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsLevel(string value) => Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out _);

    /// <summary>
    /// The generic host logs a failed start with a stack trace; Program logs the reason in one line
    /// instead, so this one event is dropped.
    /// </summary>
    internal static bool IsHostStartFailure(LogEvent logEvent) =>
        logEvent.MessageTemplate.Text == "Hosting failed to start"
        && logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source)
        && source is ScalarValue { Value: "Microsoft.Extensions.Hosting.Internal.Host" };

    private static LogEventLevel ParseLevel(string value) =>
        Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level) ? level : LogEventLevel.Information;
}
