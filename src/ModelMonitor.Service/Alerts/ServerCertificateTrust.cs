using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Alerts;

/// <summary>
/// Decides whether to trust the SMTP server's TLS certificate. By default only what the system
/// trust store vouches for, with a matching host name. An operator may add trust explicitly: root
/// certificates from a PEM file (a private CA or a self-signed server certificate; the host name
/// must still match), or the SHA-256 fingerprints of exact server certificates (pins). Nothing
/// else is ever accepted.
/// </summary>
internal sealed class ServerCertificateTrust
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection anchors;
    private readonly HashSet<string> pins;
    private readonly bool checkRevocation;

    private ServerCertificateTrust(X509Certificate2Collection anchors, IEnumerable<string> pins, bool checkRevocation)
    {
        this.anchors = anchors;
        this.pins = pins.Select(NormalizeFingerprint).ToHashSet(StringComparer.Ordinal);
        this.checkRevocation = checkRevocation;
    }

    public static ServerCertificateTrust From(SmtpOptions smtp) => new(
        string.IsNullOrWhiteSpace(smtp.TrustedCertificatesPath) ? [] : LoadAnchors(smtp.TrustedCertificatesPath),
        smtp.TrustedCertificateSha256,
        smtp.CheckCertificateRevocation);

    /// <summary>Reads every certificate of a PEM file; throws when there is none.</summary>
    public static X509Certificate2Collection LoadAnchors(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates.Count > 0 ? certificates : throw new CryptographicException($"{path} holds no PEM certificate.");
    }

    /// <summary>True when the file exists and holds at least one PEM certificate.</summary>
    public static bool IsAnchorFile(string path)
    {
        try
        {
            return File.Exists(path) && LoadAnchors(path).Count > 0;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Upper-case hex without separators; accepts <c>ab:cd:…</c> as openssl prints it.</summary>
    public static string NormalizeFingerprint(string text) =>
        new(text.Where(c => c is not (':' or ' ' or '-')).Select(char.ToUpperInvariant).ToArray());

    public static bool IsFingerprint(string text) => NormalizeFingerprint(text) is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit);

    /// <summary>The certificate's SHA-256 fingerprint as openssl prints it (<c>AB:CD:…</c>).</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())).Chunk(2).Select(pair => new string(pair)));

    /// <summary>Whether to go on with this server; <paramref name="refusal"/> says why not.</summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, out string? refusal)
    {
        refusal = null;
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null)
        {
            refusal = "the server presented no certificate";
            return false;
        }

        var fingerprint = Fingerprint(certificate);
        if (pins.Contains(NormalizeFingerprint(fingerprint)))
        {
            return true;
        }

        var problems = errors.ToString();
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && anchors.Count > 0)
        {
            if (ChainsToAnchor(certificate, chain, out var status))
            {
                return true;
            }

            problems = $"{errors} ({status} against Alerts:Smtp:TrustedCertificatesPath)";
        }
        else if (chain is not null && chain.ChainStatus.Length > 0)
        {
            problems = $"{errors} ({string.Join(", ", chain.ChainStatus.Select(s => s.Status))})";
        }

        refusal = $"the server's certificate {certificate.Subject} (SHA-256 {fingerprint}) is not trusted: {problems}. "
            + "Trust it explicitly with Alerts:Smtp:TrustedCertificatesPath (a PEM file of its CA or of the certificate) or Alerts:Smtp:TrustedCertificateSha256";
        return false;
    }

    private bool ChainsToAnchor(X509Certificate certificate, X509Chain? presented, out string status)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(anchors);
        custom.ChainPolicy.RevocationMode = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                // The intermediates the server sent; the leaf is built from, not into, the chain.
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        var built = custom.Build(leaf);
        status = built ? "ok" : string.Join(", ", custom.ChainStatus.Select(s => s.Status));
        return built;
    }
}
