using System.Text;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Splits normalised text into words: runs of characters that are neither whitespace nor
/// punctuation, and each punctuation character on its own.
/// </summary>
public static class BertPreTokenizer
{
    /// <summary>Appends the (start, length) of each word in <paramref name="text"/> to <paramref name="words"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<Range> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var wordStart = -1;
        for (var index = 0; index < text.Length;)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed);
            // Unpaired surrogates decode as U+FFFD; treat the code unit itself as the character.
            var codePoint = rune == Rune.ReplacementChar ? text[index] : rune.Value;
            if (BertCharacterClasses.IsWhitespace(codePoint))
            {
                Flush(words, ref wordStart, index);
            }
            else if (BertCharacterClasses.IsPunctuation(codePoint))
            {
                Flush(words, ref wordStart, index);
                words.Add(new Range(index, index + consumed));
            }
            else if (wordStart < 0)
            {
                wordStart = index;
            }

            index += consumed;
        }

        Flush(words, ref wordStart, text.Length);
    }

    private static void Flush(List<Range> words, ref int wordStart, int end)
    {
        if (wordStart >= 0)
        {
            words.Add(new Range(wordStart, end));
            wordStart = -1;
        }
    }
}
