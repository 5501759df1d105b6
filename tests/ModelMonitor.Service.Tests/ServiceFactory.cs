using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests;

/// <summary>The real service, in memory, serving the real default model from ../shared.</summary>
public class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    public ServiceFactory()
        : this([])
    {
    }

    protected ServiceFactory(Dictionary<string, string?> overrides)
    {
        settings = new Dictionary<string, string?>
        {
            ["Model:Path"] = TestPaths.Sst2TinyModel,
            ["Log:MinimumLevel"] = "Warning",
            ["Audit:Directory"] = AuditDirectory,
            ["Alerts:OutboxDirectory"] = AuditDirectory + "-alerts",
            ["Drift:ReportPath"] = Path.Combine(AuditDirectory + "-alerts", "monitoring-report.json"),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
    }

    /// <summary>Each factory gets its own audit store, removed with the factory.</summary>
    public string AuditDirectory { get; } = Path.Combine(Path.GetTempPath(), "mm-audit-" + Guid.NewGuid().ToString("N"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var directory in new[] { AuditDirectory, AuditDirectory + "-alerts" })
        {
            if (disposing && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The service with some settings overridden.</summary>
public sealed class ConfiguredServiceFactory(Dictionary<string, string?> overrides) : ServiceFactory(overrides);

/// <summary>The service with some settings overridden, open to further customisation by a test.</summary>
public class ServiceFactoryWith(Dictionary<string, string?> overrides) : ServiceFactory(overrides);
