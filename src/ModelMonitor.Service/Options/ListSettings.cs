using MimeKit;

namespace ModelMonitor.Service.Options;

/// <summary>
/// List settings that may also be given as one string. The configuration binder fills a list only
/// from indexed keys (<c>Alerts:Smtp:To:0</c>), as JSON arrays give; a command-line argument or an
/// environment variable gives one value (<c>--Alerts:Smtp:To=a@example.com,b@example.com</c>),
/// which the binder ignores. These add such a value to the list.
/// </summary>
internal static class ListSettings
{
    /// <summary>Adds the recipients of <c>Alerts:Smtp:To</c> and <c>Alerts:Smtp:Recipients:&lt;severity&gt;</c> given as single strings.</summary>
    public static void AddSingleValues(SmtpOptions smtp, IConfiguration section)
    {
        AddAddresses(section.GetSection(nameof(SmtpOptions.To)).Value, smtp.To);
        foreach (var severity in section.GetSection(nameof(SmtpOptions.Recipients)).GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(severity.Value))
            {
                if (!smtp.Recipients.TryGetValue(severity.Key, out var list))
                {
                    smtp.Recipients[severity.Key] = list = [];
                }

                AddAddresses(severity.Value, list);
            }
        }

        foreach (var fingerprint in Split(section.GetSection(nameof(SmtpOptions.TrustedCertificateSha256)).Value, ',', ';', ' '))
        {
            AddOnce(smtp.TrustedCertificateSha256, fingerprint);
        }
    }

    /// <summary>
    /// An address list as RFC 5322 writes it (<c>a@example.com, "Doe, Jane" &lt;jane@example.com&gt;</c>),
    /// or separated by semicolons.
    /// Text that does not parse is kept whole, so startup validation names it.
    /// </summary>
    internal static void AddAddresses(string? value, IList<string> target)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            ParseAddresses(value, target);
        }
    }

    /// <summary>
    /// Apart, and never inlined, so that compiling <see cref="AddAddresses"/> does not load MimeKit
    /// (0.7 MB mapped, and its code) into a service that has no address to parse (docs/inference.md#memory).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ParseAddresses(string value, IList<string> target)
    {
        // Commas separate addresses in RFC 5322; semicolons, as some mail programs write them, too.
        if ((InternetAddressList.TryParse(ParserOptions.Default, value, out var addresses)
             || InternetAddressList.TryParse(ParserOptions.Default, value.Replace(';', ','), out addresses))
            && addresses.Mailboxes.Any())
        {
            foreach (var mailbox in addresses.Mailboxes)
            {
                AddOnce(target, mailbox.ToString());
            }
        }
        else
        {
            AddOnce(target, value.Trim());
        }
    }

    private static string[] Split(string? value, params char[] separators) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AddOnce(IList<string> target, string item)
    {
        if (!target.Contains(item, StringComparer.OrdinalIgnoreCase))
        {
            target.Add(item);
        }
    }
}
