using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// GET /drift/history (the series of drift evaluations) and GET /traffic/history (prediction
/// volume, label mix, feedback and latency per time bucket), both read from the audit trail, so
/// they survive restarts. They read the audit, so they need what reading the audit needs.
/// </summary>
internal static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Monitoring").RequireAuthorization(Policies.AuditRead)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/drift/history", Drift).WithName("DriftHistory");
        group.MapGet("/traffic/history", Traffic).WithName("TrafficHistory");
        return app;
    }

    internal static Results<Ok<HistoryPage>, ProblemHttpResult> Drift(HttpContext context, AuditTrail audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ModelMonitor.History");
        if (audit.Source is not { } directory)
        {
            return Disabled(context, logger);
        }

        var (query, rejection) = HistoryQueryParser.History(context.Request.Query);
        return rejection is not null
            ? Problems.From(context, rejection, logger)
            : TypedResults.Ok(DriftHistory.Read(directory, query!));
    }

    internal static Results<Ok<TrafficPage>, ProblemHttpResult> Traffic(HttpContext context, AuditTrail audit, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ModelMonitor.History");
        if (audit.Source is not { } directory)
        {
            return Disabled(context, logger);
        }

        var (from, to, buckets, rejection) = HistoryQueryParser.Traffic(context.Request.Query, time.GetUtcNow());
        return rejection is not null
            ? Problems.From(context, rejection, logger)
            : TypedResults.Ok(TrafficHistory.Read(directory, from, to, buckets));
    }

    private static ProblemHttpResult Disabled(HttpContext context, ILogger logger) =>
        Problems.From(context, new Rejection(StatusCodes.Status404NotFound, "Auditing is disabled", "History is read from the audit trail, which is off (Audit:Enabled=false)."), logger);
}
