using System.Net.Security;
using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>What the certificate check accepts: the system's verdict, and only the trust an operator configured on top.</summary>
public sealed class ServerCertificateTrustTests
{
    private static ServerCertificateTrust Trust(string? pem = null, params string[] pins)
    {
        var smtp = new SmtpOptions { TrustedCertificatesPath = pem, CheckCertificateRevocation = false };
        foreach (var pin in pins)
        {
            smtp.TrustedCertificateSha256.Add(pin);
        }

        return ServerCertificateTrust.From(smtp);
    }

    [Fact]
    public void A_certificate_the_system_accepts_is_accepted()
    {
        using var certificate = new TestCertificate();
        Assert.True(Trust().Accepts(certificate.Certificate, null, SslPolicyErrors.None, out var refusal));
        Assert.Null(refusal);
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch)]
    public void Without_trust_settings_any_error_refuses_and_says_how_to_trust_the_certificate(SslPolicyErrors errors)
    {
        using var certificate = new TestCertificate();
        Assert.False(Trust().Accepts(certificate.Certificate, null, errors, out var refusal));
        Assert.Contains(certificate.Sha256, refusal, StringComparison.Ordinal);
        Assert.Contains("Alerts:Smtp:TrustedCertificatesPath", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_file_holding_the_certificate_makes_its_chain_trusted()
    {
        using var certificate = new TestCertificate();
        Assert.True(Trust(certificate.CertificatePem).Accepts(certificate.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors, out _));
    }

    [Fact]
    public void A_pem_file_of_another_certificate_does_not()
    {
        using var certificate = new TestCertificate();
        using var other = new TestCertificate();
        Assert.False(Trust(other.CertificatePem).Accepts(certificate.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors, out var refusal));
        Assert.Contains("UntrustedRoot", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_trusted_certificate_must_still_match_the_host_name()
    {
        using var certificate = new TestCertificate();
        Assert.False(Trust(certificate.CertificatePem).Accepts(certificate.Certificate, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, out _));
    }

    [Fact]
    public void A_pin_accepts_exactly_that_certificate_whatever_its_chain_and_names()
    {
        using var certificate = new TestCertificate();
        using var other = new TestCertificate();
        var pinned = Trust(null, certificate.Sha256.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant());
        var errors = SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch;
        Assert.True(pinned.Accepts(certificate.Certificate, null, errors, out _));
        Assert.False(pinned.Accepts(other.Certificate, null, errors, out _));
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        Assert.False(Trust(null, new string('A', 64)).Accepts(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out var refusal));
        Assert.Contains("no certificate", refusal, StringComparison.Ordinal);
    }
}
