using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using Serilog.Core;
using Serilog.Events;

namespace ModelMonitor.Service.Tests.Logging;

public sealed class LoggingTests
{
    private sealed class CapturingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    [Fact]
    public void Json_format_writes_one_json_object_per_event_with_its_properties()
    {
        var sink = new CapturingSink();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Log:Format"] = "json" }).Build();
        using (var logger = SerilogSetup.CreateLogger(configuration, sink))
        {
            logger.Information("HTTP {Method} {Path} responded {StatusCode}", "POST", "/predict", 200);
        }

        var formatter = SerilogSetup.CreateFormatter(new LogOptions { Format = "json" });
        using var writer = new StringWriter();
        formatter.Format(Assert.Single(sink.Events), writer);
        using var line = JsonDocument.Parse(writer.ToString());
        Assert.Equal(200, line.RootElement.GetProperty("Properties").GetProperty("StatusCode").GetInt32());
        Assert.Contains("/predict", line.RootElement.GetProperty("RenderedMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Minimum_level_and_overrides_filter_events()
    {
        var sink = new CapturingSink();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Log:MinimumLevel"] = "Warning",
            ["Log:Overrides:Noisy"] = "Error",
        }).Build();
        using (var logger = SerilogSetup.CreateLogger(configuration, sink))
        {
            logger.Information("dropped");
            logger.Warning("kept");
            logger.ForContext(Constants.SourceContextPropertyName, "Noisy").Warning("dropped too");
        }

        Assert.Equal(["kept"], sink.Events.Select(e => e.MessageTemplate.Text));
    }

    [Fact]
    public void Request_id_from_the_caller_is_kept_only_when_it_is_sane()
    {
        Assert.Equal("abc-123", RequestLoggingMiddleware.ChooseRequestId("abc-123"));
        Assert.NotEqual("bad id with spaces", RequestLoggingMiddleware.ChooseRequestId("bad id with spaces"));
        Assert.Equal(32, RequestLoggingMiddleware.ChooseRequestId(null).Length);
    }
}
