namespace ModelMonitor.Service.Options;

/// <summary>How the SMTP connection is protected (<c>Alerts:Smtp:Security</c>); the names are MailKit's.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text, no TLS at all, even if the server offers STARTTLS. Credentials, if any, travel in clear text.</summary>
    None,

    /// <summary>STARTTLS when the server offers it, plain text when it does not; credentials are only sent once encrypted.</summary>
    StartTlsWhenAvailable,

    /// <summary>STARTTLS required: a server that does not offer it gets nothing.</summary>
    StartTls,

    /// <summary>Implicit TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,
}
