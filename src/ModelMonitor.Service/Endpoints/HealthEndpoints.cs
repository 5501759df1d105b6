using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;

namespace ModelMonitor.Service.Endpoints;

/// <summary>Liveness (the process answers) and readiness (the model is loaded and warmed up).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Service");
        group.MapGet("/live", () => TypedResults.Ok(new HealthStatus("live"))).WithName("Live");
        group.MapGet("/ready", Ready).WithName("Ready");
        return app;
    }

    internal static Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>> Ready(ModelHost host) =>
        host.IsReady
            ? TypedResults.Ok(new HealthStatus("ready"))
            : TypedResults.Json(new HealthStatus("loading"), statusCode: StatusCodes.Status503ServiceUnavailable);
}
