using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Auditing;

/// <summary>Runs the audit store's single writer (file or database) for the life of the host; on shutdown it drains the queue.</summary>
internal sealed class AuditWriterService(IServiceProvider services, IOptions<AuditOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? services.GetRequiredService<IAuditWriter>().RunAsync(stoppingToken) : Task.CompletedTask;
}
