using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Endpoints;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Metrics;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Service.Options;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Hosting;

/// <summary>Wires the service: options, model hosting, JSON, ProblemDetails, middleware and endpoints.</summary>
internal static class ServiceRegistration
{
    public static IServiceCollection AddModelMonitor(this IServiceCollection services)
    {
        services.AddModelMonitorOptions();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ModelHost>();
        services.AddHostedService<ModelLoader>();
        services.AddAuditStore();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<ProblemRecorder>();
        services.AddServiceMetrics();
        services.AddSingleton<InferenceBatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<InferenceBatcher>());
        services.AddHostedService<AuditWriterService>();

        // Registered after the audit writer, so it stops first and its last counts reach the store.
        services.AddHostedService(provider => provider.GetRequiredService<ProblemRecorder>());
        services.AddModelMonitorSecurity();
        services.AddSingleton<ModelMonitor.Service.ScaleOut.MonitorRole>();
        services.AddSingleton<ModelMonitor.Service.ScaleOut.ReplicaFeed>();
        services.AddSingleton<AlertMailer>();
        services.AddSingleton<MonitorInbox>();
        services.AddSingleton<AlertPublisher>();
        services.AddSingleton<MonitorCore>();
        services.AddSingleton<DriftMonitor>();

        // The monitor's writer starts before the mailer: its restore hands the mailer the undelivered
        // mail of the audit before the mailer sends anything (else a mail sent and deleted from the
        // outbox before its delivery record is replayed would look lost and go out twice).
        services.AddHostedService<MonitorLoopService>();
        services.AddHostedService(provider => provider.GetRequiredService<AlertMailer>());
        services.AddSingleton<PredictionPipeline>();
        services.AddModelMonitorOpenApi();
        services.AddHostedService<DriftMonitorService>();

        // Replicas on one PostgreSQL store: the leader election and the tail of the others' records (no-ops with the file store).
        services.AddHostedService<ModelMonitor.Service.ScaleOut.LeaderElectionService>();
        services.AddHostedService<ModelMonitor.Service.ScaleOut.ReplicaTailService>();
        services.AddSingleton<ModelMonitor.Service.ScaleOut.ReferenceRescoreRequests>();
        services.AddHostedService<ModelMonitor.Service.ScaleOut.ReferenceRescoreService>();

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, ModelMonitor.Monitoring.Reports.MonitoringJsonContext.Default);
        });
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("request_id", context.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // Kestrel enforces the body limit too, so an oversized chunked body is cut off early. Read
        // unvalidated here: validation reports a bad value when the host starts, with its message.
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
            kestrel.Limits.MaxRequestBodySize = Math.Max(64, configuration.GetSection(PredictOptions.Section).Get<PredictOptions>()?.MaxBodyBytes ?? new PredictOptions().MaxBodyBytes));
        return services;
    }

    public static WebApplication UseModelMonitor(this WebApplication app)
    {
        app.UseMiddleware<RequestTrackingMiddleware>();
        app.UseModelMonitorRequestLogging();
        app.UseMiddleware<HttpMetricsMiddleware>();
        app.UseMiddleware<AuditErrorsMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        if (!app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.AnyKey)
        {
            Log.AuditReadableByAnyone(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ModelMonitor.Security"));
        }

        app.MapInfo();
        app.MapHealth();
        app.MapPredict();
        app.MapHuggingFace();
        app.MapOpenInference();
        app.MapTokenize();
        app.MapAudit();
        app.MapFeedback();
        app.MapDrift();
        app.MapHistory();
        app.MapDashboard();
        app.MapMetrics();
        app.MapOpenApi(OpenApiDocumentation.Route).WithTags("Service");
        return app;
    }
}
