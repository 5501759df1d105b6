using System.Text.Json;

namespace ModelMonitor.Service.Http;

/// <summary>
/// Reads JSON strings from client bodies. The JSON reader checks structure, not the text inside
/// strings: invalid UTF-8 bytes and escaped lone surrogates (<c>"\ud800"</c>) only fail when the
/// string is decoded, with an <see cref="InvalidOperationException"/> that must become a 400.
/// </summary>
internal static class JsonText
{
    /// <summary>The element's text; false when it is not a string or is not valid Unicode.</summary>
    public static bool TryReadString(this JsonElement element, out string text)
    {
        text = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when the element is a string that cannot be decoded to valid Unicode.</summary>
    public static bool IsUndecodableString(this JsonElement element) =>
        element.ValueKind == JsonValueKind.String && !element.TryReadString(out _);
}
