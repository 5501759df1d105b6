namespace ModelMonitor.Service.Options;

/// <summary>
/// API keys (section <c>Security</c>), sent as <c>X-Api-Key</c>. Admin actions are disabled until
/// <see cref="AdminApiKey"/> is set; /feedback needs a key (admin or feedback) once either is set;
/// reading the audit (raw input texts included) needs the admin or audit key once any key is set.
/// Set them through environment variables (<c>Security__AdminApiKey</c>) rather than files.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public string? AdminApiKey { get; set; }

    public string? FeedbackApiKey { get; set; }

    /// <summary>A key that may read the audit (GET /audit, /audit/{id}, /audit/verify) and nothing else.</summary>
    public string? AuditApiKey { get; set; }

    internal bool AnyFeedbackKey => !string.IsNullOrEmpty(AdminApiKey) || !string.IsNullOrEmpty(FeedbackApiKey);

    internal bool AnyKey => AnyFeedbackKey || !string.IsNullOrEmpty(AuditApiKey);
}
