using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// Liveness (the process answers) and readiness: the model is loaded and warmed up, and, when
/// predictions fail closed without an audit record, the audit store can write.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Service");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live"))).WithName("Live");
        group.MapGet("/ready", Ready).WithName("Ready").Produces<HealthStatus>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>> Ready(ModelHost host, AuditTrail audit)
    {
        if (!host.IsReady)
        {
            return TypedResults.Json(new HealthStatus("loading", "The model is loading."), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return audit.CheckWritable() is { } reason
            ? TypedResults.Json(new HealthStatus("audit_unavailable", reason), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthStatus("ready"));
    }
}
