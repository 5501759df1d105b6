namespace ModelMonitor.Service.Options;

/// <summary>The SMTP server alerts are sent through (section <c>Alerts:Smtp</c>). No host: e-mail is off.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>How the connection is protected; see <see cref="SmtpSecurity"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTlsWhenAvailable;

    public string From { get; set; } = "modelmonitor@localhost";

    /// <summary>Recipients of every alert: a list, or one string of comma-separated addresses.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Extra recipients by severity name (low, medium, high, critical); each a list or one comma-separated string.</summary>
    public IDictionary<string, IList<string>> Recipients { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Deadline for the TCP connection, TLS handshake, greeting, EHLO, STARTTLS and AUTH together.</summary>
    public int ConnectTimeoutMs { get; set; } = 10_000;

    /// <summary>Deadline for handing over one message (MAIL FROM, RCPT TO, DATA) and QUIT.</summary>
    public int SendTimeoutMs { get; set; } = 30_000;

    /// <summary>
    /// A PEM file of certificates to trust as roots besides the system store: a private CA, or the
    /// server's own self-signed certificate. The host name must still match the certificate.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>
    /// SHA-256 fingerprints (hex, colons allowed) of server certificates to accept as they are,
    /// whatever their chain and names: pins for a server whose certificate no CA vouches for.
    /// </summary>
    public IList<string> TrustedCertificateSha256 { get; } = [];

    /// <summary>Check whether the server's certificate chain was revoked (CRL/OCSP).</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public bool HasCredentials => !string.IsNullOrEmpty(UserName);
}
