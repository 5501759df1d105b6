using MimeKit;

namespace ModelMonitor.Service.Options;

/// <summary>Checks configured e-mail addresses at startup, so a typo fails there and not at the first alert.</summary>
internal static class MailAddressValidator
{
    /// <summary>Every entry is one mailbox (an optional display name and <c>local@domain</c>).</summary>
    public static bool AllValid(IEnumerable<string> addresses) => addresses.All(IsMailbox);

    private static bool IsMailbox(string text) =>
        MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox)
        && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < mailbox.Address.Length - 1;
}
