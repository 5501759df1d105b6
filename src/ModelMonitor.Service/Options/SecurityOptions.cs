namespace ModelMonitor.Service.Options;

/// <summary>
/// API keys (section <c>Security</c>), sent as <c>X-Api-Key</c>. Admin actions are disabled until
/// <see cref="AdminApiKey"/> is set; /feedback needs a key (either one) once any is set. Set them
/// through environment variables (<c>Security__AdminApiKey</c>) rather than files.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public string? AdminApiKey { get; set; }

    public string? FeedbackApiKey { get; set; }
}
