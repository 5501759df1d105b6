using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace ModelMonitor.Service.Tests.Logging;

/// <summary>
/// The service with some settings (and, optionally, services) overridden, and every log event also
/// kept in <see cref="Logs"/>.
/// </summary>
public sealed class CapturingServiceFactory(Dictionary<string, string?> overrides, Action<IServiceCollection>? configureServices = null) : ServiceFactory(overrides)
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            configureServices?.Invoke(services);
        });
    }
}
