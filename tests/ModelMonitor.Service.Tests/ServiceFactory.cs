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
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
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
