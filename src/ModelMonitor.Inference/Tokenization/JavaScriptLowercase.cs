using System.Globalization;
using System.Text;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// <c>String.prototype.toLowerCase</c>: Unicode full lowercase mapping, which differs from .NET's
/// per-character mapping in two places: U+0130 becomes "i" + U+0307, and capital sigma becomes
/// final sigma at the end of a word.
/// </summary>
internal static class JavaScriptLowercase
{
    private const int CapitalSigma = 0x03A3;
    private const int SmallSigma = 0x03C3;
    private const int FinalSigma = 0x03C2;
    private const int CapitalIWithDot = 0x0130;

    public static string ToLower(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text.ToLowerInvariant();
        }

        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            if (rune.Value == CapitalIWithDot)
            {
                builder.Append("i\u0307");
            }
            else if (rune.Value == CapitalSigma)
            {
                builder.Append((char)(IsFinalSigma(text, index, consumed) ? FinalSigma : SmallSigma));
            }
            else
            {
                // Unpaired surrogates decode as U+FFFD: keep the original code unit instead.
                if (rune == Rune.ReplacementChar && text[index] != '\uFFFD')
                {
                    builder.Append(text[index]);
                }
                else
                {
                    builder.Append(Rune.ToLowerInvariant(rune).ToString());
                }
            }

            index += consumed;
        }

        return builder.ToString();
    }

    /// <summary>Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorables), none after.</summary>
    private static bool IsFinalSigma(string text, int index, int length)
    {
        var before = false;
        for (var i = index; i > 0;)
        {
            var rune = RuneBefore(text, i, out var size);
            i -= size;
            if (IsCaseIgnorable(rune))
            {
                continue;
            }

            before = IsCased(rune);
            break;
        }

        if (!before)
        {
            return false;
        }

        for (var i = index + length; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var size);
            i += size;
            if (IsCaseIgnorable(rune))
            {
                continue;
            }

            return !IsCased(rune);
        }

        return true;
    }

    private static Rune RuneBefore(string text, int end, out int size)
    {
        Rune.DecodeLastFromUtf16(text.AsSpan(0, end), out var rune, out size);
        return rune;
    }

    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune rune) =>
        rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
