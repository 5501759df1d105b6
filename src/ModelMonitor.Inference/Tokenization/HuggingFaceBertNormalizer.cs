using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Hugging Face's <c>BertNormalizer</c>, exactly as the reference runs it, plugged into
/// Microsoft.ML.Tokenizers: clean text (drop NUL, U+FFFD and Cc/Cf/Co/Cs, turn whitespace into
/// spaces), pad CJK ideographs with spaces, lowercase with JavaScript's full mapping, then strip
/// accents (NFD, drop non-spacing marks). The library's own <c>BertNormalizer</c> differs: it drops
/// symbols and newlines, lowercases per character and does not strip accents by default.
/// Stateless, so thread-safe.
/// </summary>
public sealed class HuggingFaceBertNormalizer : Normalizer
{
    private readonly bool stripAccents;

    public HuggingFaceBertNormalizer(BertNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        stripAccents = options.StripAccents ?? options.Lowercase;
    }

    public BertNormalizerOptions Options { get; }

    public override string Normalize(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (Ascii.IsValid(original))
        {
            // On ASCII, clean text only touches controls, CJK padding and accent stripping do nothing,
            // and lowercasing is the invariant one, which returns the text itself when it has no capital.
            var span = original.AsSpan();
            var text = Options.CleanText && (span.ContainsAnyInRange('\0', '\u001F') || span.Contains('\u007F')) ? CleanText(original) : original;
            return Options.Lowercase ? text.ToLowerInvariant() : text;
        }

        return NormalizeUnicode(original);
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    /// <summary>The reference's steps in its order, for text beyond ASCII.</summary>
    private string NormalizeUnicode(string text)
    {
        if (Options.CleanText)
        {
            text = CleanText(text);
        }

        if (Options.HandleChineseChars)
        {
            text = PadChineseCharacters(text);
        }

        if (Options.Lowercase)
        {
            text = JavaScriptLowercase.ToLower(text);
        }

        return stripAccents ? StripAccents(text) : text;
    }

    /// <summary>Drops NUL, U+FFFD and control characters; turns every whitespace character into a space.</summary>
    internal static string CleanText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var span = text.AsSpan();
        for (var index = 0; index < span.Length;)
        {
            // An unpaired surrogate decodes as U+FFFD and is dropped, as the reference drops Cs.
            Rune.DecodeFromUtf16(span[index..], out var rune, out var consumed);
            var codePoint = rune.Value;
            if (codePoint == 0 || codePoint == 0xFFFD || BertCharacterClasses.IsControl(codePoint))
            {
                index += consumed;
                continue;
            }

            if (BertCharacterClasses.IsWhitespace(codePoint))
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(span.Slice(index, consumed));
            }

            index += consumed;
        }

        return builder.ToString();
    }

    internal static string PadChineseCharacters(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u3400', '\uFAFF'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var unit in text)
        {
            if (BertCharacterClasses.IsChineseCodeUnit(unit))
            {
                builder.Append(' ').Append(unit).Append(' ');
            }
            else
            {
                builder.Append(unit);
            }
        }

        return builder.ToString();
    }

    internal static string StripAccents(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            // Unpaired surrogates (possible only with clean_text off) cannot be normalised as a whole.
            decomposed = string.Concat(text.EnumerateRunes().Select(r => r.ToString().Normalize(NormalizationForm.FormD)));
        }

        var builder = new StringBuilder(decomposed.Length);
        var span = decomposed.AsSpan();
        for (var index = 0; index < span.Length;)
        {
            Rune.DecodeFromUtf16(span[index..], out var rune, out var consumed);
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(span.Slice(index, consumed));
            }

            index += consumed;
        }

        return builder.ToString();
    }
}
