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

            // A request line is information whatever its status: a 5xx the service answered on
            // purpose (not ready, shutting down, audit unavailable) is logged where it is decided,
            // and an unhandled exception by the exception handler. Only an exception that escaped
            // both (and is not the client going away) makes the line itself an error.
            options.GetLevel = (_, _, error) => error is not null and not OperationCanceledException
                ? Serilog.Events.LogEventLevel.Error
                : Serilog.Events.LogEventLevel.Information;
        });
}
