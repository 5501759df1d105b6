using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Auditing;

/// <summary>
/// The audit store Audit:Store chooses, as an <see cref="IAuditWriter"/> and an
/// <see cref="IAuditSource"/>: the file store (<see cref="AuditLog"/>, also registered as itself)
/// or the PostgreSQL store over one <see cref="AuditDatabase"/>. Only the chosen one is built.
/// </summary>
internal static class AuditStoreRegistration
{
    public static IServiceCollection AddAuditStore(this IServiceCollection services)
    {
        services.AddSingleton(provider => new AuditLog(
            provider.GetRequiredService<IOptions<AuditOptions>>().Value.ToSettings(),
            provider.GetRequiredService<TimeProvider>(),
            Notify(provider)));
        services.AddSingleton(provider => new AuditDatabase(provider.GetRequiredService<IOptions<AuditOptions>>().Value.ConnectionString!));
        services.AddSingleton<IAuditWriter>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AuditOptions>>().Value;
            return options.Store == AuditStoreKind.Postgres
                ? new PostgresAuditLog(provider.GetRequiredService<AuditDatabase>(), options.ToPostgresSettings(), provider.GetRequiredService<TimeProvider>(), Notify(provider))
                : provider.GetRequiredService<AuditLog>();
        });
        services.AddSingleton<IAuditSource>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AuditOptions>>().Value;
            return options.Store == AuditStoreKind.Postgres
                ? new PostgresAuditSource(provider.GetRequiredService<AuditDatabase>())
                : new FileAuditSource(options.ToSettings().Directory);
        });
        return services;
    }

    private static Action<AuditNotice> Notify(IServiceProvider provider)
    {
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("ModelMonitor.Audit");
        return notice => Log.AuditNotice(logger, notice.Level switch
        {
            AuditNoticeLevel.Error => LogLevel.Error,
            AuditNoticeLevel.Warning => LogLevel.Warning,
            _ => LogLevel.Information,
        }, notice.Exception, notice.Message);
    }
}
