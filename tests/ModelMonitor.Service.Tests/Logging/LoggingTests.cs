using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;
using Serilog.Core;
using Serilog.Events;

namespace ModelMonitor.Service.Tests.Logging;

public sealed class LoggingTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static List<string> Logged(IConfiguration configuration)
    {
        var sink = new LogCapture();
        using (var logger = SerilogSetup.CreateLogger(configuration, sink))
        {
            logger.Debug("debug");
            logger.Information("information");
            logger.Warning("warning");
            logger.ForContext(Constants.SourceContextPropertyName, "Noisy.Component").Warning("noisy warning");
            logger.ForContext(Constants.SourceContextPropertyName, "Noisy.Component").Error("noisy error");
        }

        return [.. sink.Events.Select(e => e.MessageTemplate.Text)];
    }

    [Fact]
    public void Without_settings_information_and_above_is_logged() =>
        Assert.Equal(["information", "warning", "noisy warning", "noisy error"], Logged(Settings()));

    [Fact]
    public void The_serilog_section_sets_the_minimum_level_and_per_namespace_overrides() =>
        Assert.Equal(["warning", "noisy error"], Logged(Settings(("Serilog:MinimumLevel:Default", "Warning"), ("Serilog:MinimumLevel:Override:Noisy", "Error"))));

    [Fact]
    public void The_serilog_section_can_lower_the_level_too() =>
        Assert.Equal(["debug", "information", "warning", "noisy warning", "noisy error"], Logged(Settings(("Serilog:MinimumLevel:Default", "Debug"))));

    [Fact]
    public void The_log_shorthand_wins_over_the_serilog_section() =>
        Assert.Equal(["warning", "noisy warning", "noisy error"], Logged(Settings(
            ("Serilog:MinimumLevel:Default", "Debug"),
            ("Serilog:MinimumLevel:Override:Noisy", "Error"),
            ("Log:MinimumLevel", "Warning"),
            ("Log:Overrides:Noisy", "Warning"))));

    [Fact]
    public void Properties_from_the_serilog_section_are_on_every_event()
    {
        var sink = new LogCapture();
        using (var logger = SerilogSetup.CreateLogger(Settings(("Serilog:Properties:Application", "ModelMonitor")), sink))
        {
            logger.Information("one");
        }

        Assert.Equal("ModelMonitor", LogCapture.Property(Assert.Single(sink.Events), "Application"));
    }

    [Fact]
    public void A_file_sink_named_in_the_serilog_section_writes_without_a_using_list()
    {
        // The sink assemblies are named to the reader, not found by scanning deps.json: the shipped
        // Serilog.Sinks.File must still be found by its name alone, as the docs promise.
        var folder = Directory.CreateTempSubdirectory("mm-log-file-");
        try
        {
            var path = Path.Combine(folder.FullName, "service.log");
            using (var logger = SerilogSetup.CreateLogger(Settings(("Serilog:WriteTo:0:Name", "File"), ("Serilog:WriteTo:0:Args:path", path)), new LogCapture()))
            {
                logger.Information("to the file");
            }

            Assert.Contains("to the file", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_using_list_is_honoured_and_an_assembly_that_does_not_load_is_a_configuration_error()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => SerilogSetup.CreateLogger(Settings(("Serilog:Using:0", "Serilog.Sinks.DoesNotExist"), ("Serilog:WriteTo:0:Name", "Nowhere")), new LogCapture()));
        Assert.Contains("Serilog section is invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("Serilog.Sinks.DoesNotExist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serilogs_own_configuration_methods_are_found_by_name()
    {
        // Destructure.ToMaximumCollectionCount is one of Serilog's own configuration methods, which the reader offers
        // only when Serilog.dll is in the assembly list; without it the setting is skipped and all ten items are kept.
        var sink = new LogCapture();
        using (var logger = SerilogSetup.CreateLogger(Settings(("Serilog:Destructure:0:Name", "ToMaximumCollectionCount"), ("Serilog:Destructure:0:Args:maximumCollectionCount", "3")), sink))
        {
            logger.Information("{Items}", Enumerable.Range(1, 10).ToArray());
        }

        var items = Assert.IsType<SequenceValue>(Assert.Single(sink.Events).Properties["Items"]);
        Assert.Equal(3, items.Elements.Count);
    }

    [Fact]
    public void An_invalid_serilog_section_is_a_configuration_error_naming_the_section()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => SerilogSetup.CreateLogger(Settings(("Serilog:MinimumLevel:Default", "Loud")), new LogCapture()));
        Assert.Contains("Serilog section is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_format_writes_one_valid_json_object_per_line_with_every_property_at_the_top()
    {
        var sink = new LogCapture();
        using (var logger = SerilogSetup.CreateLogger(Settings(("Log:Format", "json")), sink))
        {
            logger.Information("HTTP {RequestMethod} {RequestPath} responded {StatusCode} [{RequestId}]", "POST", "/predict", 200, "abc-123");
            logger.Warning("A \"quoted\"\nmulti-line {Text}", "text with\ttab");
            logger.Error(new InvalidOperationException("broken"), "Failed on {Path}", "/x");
        }

        var formatter = SerilogSetup.CreateFormatter(new LogOptions { Format = "json" });
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var logEvent in sink.Events)
        {
            formatter.Format(logEvent, writer);
        }

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var parsed = lines.Select(line => JsonDocument.Parse(line)).ToArray();
        Assert.All(parsed, p => Assert.True(p.RootElement.TryGetProperty("@t", out _)));
        Assert.Equal(200, parsed[0].RootElement.GetProperty("StatusCode").GetInt32());
        Assert.Equal("abc-123", parsed[0].RootElement.GetProperty("RequestId").GetString());
        Assert.Contains("/predict", parsed[0].RootElement.GetProperty("@m").GetString(), StringComparison.Ordinal);
        Assert.Equal("Warning", parsed[1].RootElement.GetProperty("@l").GetString());
        Assert.Contains("broken", parsed[2].RootElement.GetProperty("@x").GetString(), StringComparison.Ordinal);
        foreach (var document in parsed)
        {
            document.Dispose();
        }
    }

    [Fact]
    public async Task Each_request_gets_one_line_with_its_request_id_and_status()
    {
        using var factory = new CapturingServiceFactory(new() { ["Log:MinimumLevel"] = "Information" });
        var client = factory.CreateClient();
        using (var ok = new HttpRequestMessage(HttpMethod.Get, "/health/live"))
        {
            ok.Headers.Add("X-Request-Id", "req-ok-1");
            using var live = await client.SendAsync(ok);
            Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        }

        using var bad = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        bad.Headers.Add("X-Request-Id", "req-bad-1");
        using var response = await client.SendAsync(bad);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("req-bad-1", response.Headers.GetValues("X-Request-Id").Single());

        var okLine = await RequestLineAsync(factory.Logs, "req-ok-1");
        var badLine = await RequestLineAsync(factory.Logs, "req-bad-1");
        Assert.Equal(400, LogCapture.Property(badLine, "StatusCode"));
        Assert.Equal("POST", LogCapture.Property(badLine, "RequestMethod"));
        Assert.Equal("/predict", LogCapture.Property(badLine, "RequestPath"));
        Assert.Equal(200, LogCapture.Property(okLine, "StatusCode"));
        Assert.Equal("/health/live", LogCapture.Property(okLine, "RequestPath"));
        var rendered = badLine.RenderMessage(CultureInfo.InvariantCulture);
        Assert.Matches(@"^HTTP ""?POST""? ""?/predict""? responded 400 in \d+\.\d{3} ms \[""?req-bad-1""?\]$", rendered);
        Assert.Single(factory.Logs.Events, e => LogCapture.Property(e, "RequestId") as string == "req-bad-1" && e.Properties.ContainsKey("Elapsed"));
    }

    /// <summary>The request's line from Serilog's request logging (other events name the request id too).</summary>
    private static Task<LogEvent> RequestLineAsync(LogCapture logs, string requestId) =>
        logs.WaitForAsync(e => LogCapture.Property(e, "RequestId") as string == requestId && e.Properties.ContainsKey("Elapsed"), TimeSpan.FromSeconds(30));

    [Fact]
    public void Request_id_from_the_caller_is_kept_only_when_it_is_sane()
    {
        Assert.Equal("abc-123", RequestTrackingMiddleware.ChooseRequestId("abc-123"));
        Assert.NotEqual("bad id with spaces", RequestTrackingMiddleware.ChooseRequestId("bad id with spaces"));
        Assert.Equal(32, RequestTrackingMiddleware.ChooseRequestId(null).Length);
    }
}
