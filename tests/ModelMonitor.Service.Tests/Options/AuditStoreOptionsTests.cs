using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Options;

/// <summary>Audit:Store, ConnectionStrings:Audit and Audit:WriterId, bound as the service binds them and checked at startup.</summary>
public sealed class AuditStoreOptionsTests
{
    private static AuditOptions FromCommandLine(params string[] arguments)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(arguments).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddModelMonitorOptions();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AuditOptions>>().Value;
    }

    private static string Failure(params string[] arguments) =>
        string.Join(" ", Assert.Throws<OptionsValidationException>(() => FromCommandLine(arguments)).Failures);

    [Fact]
    public void The_file_store_is_the_default() =>
        Assert.Equal(AuditStoreKind.File, FromCommandLine().Store);

    [Fact]
    public void The_connection_string_comes_from_connection_strings_audit() =>
        Assert.Equal("Host=db;Database=audit", FromCommandLine("--Audit:Store=Postgres", "--ConnectionStrings:Audit=Host=db;Database=audit").ConnectionString);

    [Fact]
    public void Postgres_without_a_connection_string_stops_startup() =>
        Assert.Contains("ConnectionStrings:Audit", Failure("--Audit:Store=Postgres"), StringComparison.Ordinal);

    [Fact]
    public void A_connection_string_npgsql_cannot_read_stops_startup() =>
        Assert.Contains("not a valid Npgsql connection string", Failure("--Audit:Store=Postgres", "--ConnectionStrings:Audit=Hots=db"), StringComparison.Ordinal);

    [Fact]
    public void The_writer_id_defaults_to_the_machine_name() =>
        Assert.Equal(Environment.MachineName, FromCommandLine().EffectiveWriterId);

    [Fact]
    public void A_configured_writer_id_is_used() =>
        Assert.Equal("replica-b", FromCommandLine("--Audit:WriterId=replica-b").EffectiveWriterId);
}
