using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 and localhost, made for one test and written as
/// PEM files: the certificate (what an operator would trust) and its key (for the test's server).
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-cert-").FullName;

    public TestCertificate(string commonName = "ModelMonitor test SMTP server", string[]? dnsNames = null, string[]? ipAddresses = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames ?? ["localhost"])
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in ipAddresses ?? ["127.0.0.1"])
        {
            names.AddIpAddress(IPAddress.Parse(ip));
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        CertificatePem = Path.Combine(directory, "server.crt.pem");
        KeyPem = Path.Combine(directory, "server.key.pem");
        File.WriteAllText(CertificatePem, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPem, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate alone, as an operator would be handed it.</summary>
    public string CertificatePem { get; }

    public string KeyPem { get; }

    /// <summary>SHA-256 of the certificate, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public string Sha256 => string.Join(':', Convert.ToHexString(SHA256.HashData(Certificate.RawData)).Chunk(2).Select(pair => new string(pair)));

    public Monitoring.SmtpServerTls Server(bool implicitTls = false) => new(CertificatePem, KeyPem, implicitTls);

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
