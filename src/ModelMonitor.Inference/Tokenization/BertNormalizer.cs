using System.Globalization;
using System.Text;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>The <c>BertNormalizer</c> settings from tokenizer.json.</summary>
public sealed record BertNormalizerOptions
{
    public bool CleanText { get; init; } = true;

    public bool HandleChineseChars { get; init; } = true;

    /// <summary>Null follows <see cref="Lowercase"/>, as in Hugging Face tokenizers.</summary>
    public bool? StripAccents { get; init; }

    public bool Lowercase { get; init; } = true;
}

/// <summary>
/// BERT normalisation in the reference's order: clean text, pad CJK ideographs with spaces,
/// lowercase, then strip accents (NFD and drop non-spacing marks).
/// </summary>
public sealed class BertNormalizer(BertNormalizerOptions options)
{
    public BertNormalizerOptions Options { get; } = options;

    public string Normalize(string text)
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
            if (Options.StripAccents != false)
            {
                text = StripAccents(text);
            }
        }
        else if (Options.StripAccents == true)
        {
            text = StripAccents(text);
        }

        return text;
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
