using System.Net.Mail;

namespace ModelMonitor.Service.Options;

/// <summary>Checks configured e-mail addresses at startup, so a typo fails there and not at the first alert.</summary>
internal static class MailAddressValidator
{
    public static bool AllValid(IEnumerable<string> addresses) => addresses.All(a => MailAddress.TryCreate(a, out _));
}
