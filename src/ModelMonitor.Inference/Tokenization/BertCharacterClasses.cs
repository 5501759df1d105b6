using System.Globalization;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// The character classes of Hugging Face's BERT normalizer and pre-tokenizer, with the exact
/// semantics of the reference implementation (tokenizers.js as shipped in transformers.js).
/// </summary>
internal static class BertCharacterClasses
{
    /// <summary>JavaScript's <c>\s</c>: tab, LF, VT, FF, CR, ZWNBSP, LS, PS and every Zs character.</summary>
    public static bool IsWhitespace(int codePoint) => codePoint switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0xFEFF or 0x2028 or 0x2029 => true,
        < 0x80 => false,
        _ => CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.SpaceSeparator,
    };

    /// <summary>
    /// Cc, Cf, Co and Cs, except tab, LF and CR (which count as whitespace). Unassigned code points
    /// (Cn) are kept, as the reference keeps them.
    /// </summary>
    public static bool IsControl(int codePoint)
    {
        if (codePoint is '\t' or '\n' or '\r')
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>Unicode punctuation (P*) plus every ASCII symbol, as BERT splits on both.</summary>
    public static bool IsPunctuation(int codePoint)
    {
        if (codePoint is (>= 0x21 and <= 0x2F) or (>= 0x3A and <= 0x40) or (>= 0x5B and <= 0x60) or (>= 0x7B and <= 0x7E))
        {
            return true;
        }

        return codePoint >= 0x80 && CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>
    /// The CJK ideograph blocks BERT pads with spaces. The reference tests UTF-16 code units, so the
    /// supplementary-plane blocks in its list never match; we test code units for the same result.
    /// </summary>
    public static bool IsChineseCodeUnit(char unit) =>
        unit is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
