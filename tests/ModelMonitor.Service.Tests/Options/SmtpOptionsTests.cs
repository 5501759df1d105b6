using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelMonitor.Service.Options;
using ModelMonitor.Service.Tests.Hosting;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Options;

/// <summary>Alerts:Smtp bound from the configuration sources the service reads, and checked at startup.</summary>
public sealed class SmtpOptionsTests
{
    private static AlertOptions Bind(IConfiguration configuration)
    {
        var services = new ServiceCollection().AddSingleton(configuration).AddModelMonitorOptions();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AlertOptions>>().Value;
    }

    private static AlertOptions FromCommandLine(params string[] arguments) =>
        Bind(new ConfigurationBuilder().AddCommandLine(["--Alerts:Smtp:Host=127.0.0.1", .. arguments]).Build());

    private static string Failure(params string[] arguments) =>
        string.Join(" ", Assert.Throws<OptionsValidationException>(() => FromCommandLine(arguments)).Failures);

    [Fact]
    public void One_address_on_the_command_line_is_the_recipient() =>
        Assert.Equal(["oncall@example.com"], FromCommandLine("--Alerts:Smtp:To=oncall@example.com").Smtp.To);

    [Fact]
    public void A_comma_separated_environment_variable_gives_every_recipient()
    {
        var prefix = $"MMTEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Alerts__Smtp__Host", "127.0.0.1");
        Environment.SetEnvironmentVariable(prefix + "Alerts__Smtp__To", "oncall@example.com, \"Doe, Jane\" <jane@example.com>");
        Environment.SetEnvironmentVariable(prefix + "Alerts__Smtp__Recipients__critical", "boss@example.com;cto@example.com");
        try
        {
            var smtp = Bind(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build()).Smtp;
            Assert.Equal(["oncall@example.com", "\"Doe, Jane\" <jane@example.com>"], smtp.To);
            Assert.Equal(["boss@example.com", "cto@example.com"], smtp.Recipients["critical"]);
        }
        finally
        {
            foreach (var name in new[] { "Alerts__Smtp__Host", "Alerts__Smtp__To", "Alerts__Smtp__Recipients__critical" })
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    [Fact]
    public void A_list_still_works() =>
        Assert.Equal(["a@example.com", "b@example.com"], FromCommandLine("--Alerts:Smtp:To:0=a@example.com", "--Alerts:Smtp:To:1=b@example.com").Smtp.To);

    [Fact]
    public void Something_that_is_not_an_address_stops_startup() =>
        Assert.Contains("must be e-mail addresses", Failure("--Alerts:Smtp:To=oncall@example.com, not an address"), StringComparison.Ordinal);

    [Fact]
    public void No_recipient_stops_startup() =>
        Assert.Contains("needs at least one recipient", Failure(), StringComparison.Ordinal);

    [Fact]
    public void The_default_is_starttls_when_the_server_offers_it_with_the_system_trust_store()
    {
        var smtp = FromCommandLine("--Alerts:Smtp:To=oncall@example.com").Smtp;
        Assert.Equal(SmtpSecurity.StartTlsWhenAvailable, smtp.Security);
        Assert.Null(smtp.TrustedCertificatesPath);
        Assert.Empty(smtp.TrustedCertificateSha256);
        Assert.True(smtp.CheckCertificateRevocation);
    }

    [Theory]
    [InlineData("--Alerts:Smtp:Port=465", "Port 465 is SMTPS")]
    [InlineData("--Alerts:Smtp:Security=SslOnConnect", "does not work on ports 25 and 587")]
    [InlineData("--Alerts:Smtp:Security=Sometimes", "Security")]
    [InlineData("--Alerts:Smtp:StartTls=true", "replaced by Alerts:Smtp:Security")]
    [InlineData("--Alerts:Smtp:TimeoutMs=5000", "replaced by Alerts:Smtp:ConnectTimeoutMs")]
    [InlineData("--Alerts:Smtp:ConnectTimeoutMs=0", "ConnectTimeoutMs and SendTimeoutMs must be at least 1")]
    [InlineData("--Alerts:Smtp:TrustedCertificateSha256=abcd", "64 hex digits")]
    [InlineData("--Alerts:Smtp:TrustedCertificatesPath=/no/such/file.pem", "PEM file")]
    public void Bad_smtp_settings_stop_startup_saying_what_is_wrong(string setting, string message)
    {
        var failure = Record.Exception(() => FromCommandLine("--Alerts:Smtp:To=oncall@example.com", setting));
        Assert.NotNull(failure);
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trust_settings_with_plain_text_stop_startup()
    {
        using var certificate = new Alerts.TestCertificate();
        Assert.Contains("need TLS", Failure("--Alerts:Smtp:To=oncall@example.com", "--Alerts:Smtp:Security=None", $"--Alerts:Smtp:TrustedCertificatesPath={certificate.CertificatePem}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Alerts:Smtp:To=oncall@example.com")]
    [InlineData("--Alerts:Smtp:To=oncall@example.com,ml-team@example.com")]
    public async Task The_service_starts_with_recipients_given_as_one_command_line_string(string recipients)
    {
        var directory = Directory.CreateTempSubdirectory("mm-recipients-").FullName;
        try
        {
            await using var service = await RunningService.StartAsync(directory, TimeSpan.FromSeconds(60), "--urls", "http://127.0.0.1:0", $"--Model:Path={TestPaths.Sst2TinyModel}", "--Alerts:Smtp:Host=127.0.0.1", recipients);
            Assert.False(service.HasExited);
            Assert.DoesNotContain(service.Lines, l => l.Contains("cannot start", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
