using Serilog;

namespace ModelMonitor.Service.Logging;

/// <summary>
/// One log line per request, written by Serilog.AspNetCore's request logging when the response is
/// done: method, path, status, latency and the request id (also echoed as <c>X-Request-Id</c>).
/// </summary>
internal static class RequestLogging
{
    public const string MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.000} ms [{RequestId}]";

    public static IApplicationBuilder UseModelMonitorRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, not the static Log.Logger (which this service leaves unset).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = MessageTemplate;
            options.EnrichDiagnosticContext = (diagnostics, context) => diagnostics.Set("RequestId", context.TraceIdentifier);
        });
}
