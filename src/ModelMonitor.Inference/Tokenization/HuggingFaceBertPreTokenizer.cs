using System.Text;
using Microsoft.ML.Tokenizers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Hugging Face's <c>BertPreTokenizer</c>, plugged into Microsoft.ML.Tokenizers: words are runs of
/// characters that are neither whitespace nor punctuation, and each punctuation character (Unicode
/// P* and every ASCII symbol, so <c>$ + = ` ^ | ~ &lt; &gt;</c> too) is a word of its own. The
/// library's word-or-punctuation pre-tokenizer (<c>\w+|\p{P}</c>) instead drops symbols such as
/// <c>$</c>, <c>€</c> and emoji, and splits words at zero-width and combining characters.
/// Added tokens marked <c>normalized</c> are matched in the normalised text and kept whole.
/// Stateless, so thread-safe.
/// </summary>
public sealed class HuggingFaceBertPreTokenizer : PreTokenizer
{
    private readonly AddedTokenMatcher? normalizedAddedTokens;

    /// <param name="normalizedAddedTokens">Added tokens (their normalised content) to keep whole; none by default.</param>
    public HuggingFaceBertPreTokenizer(IEnumerable<AddedToken>? normalizedAddedTokens = null)
    {
        var matcher = new AddedTokenMatcher(normalizedAddedTokens ?? []);
        this.normalizedAddedTokens = matcher.IsEmpty ? null : matcher;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? [] : Split(text);
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => PreTokenize(text.ToString());

    /// <summary>Lazily, so the library's WordPiece loop allocates no list: one iterator per text.</summary>
    private IEnumerable<(int Offset, int Length)> Split(string text)
    {
        var wordStart = -1;
        var index = 0;
        while (index < text.Length)
        {
            if (normalizedAddedTokens?.MatchAt(text, index) is { } token)
            {
                if (wordStart >= 0)
                {
                    yield return (wordStart, index - wordStart);
                    wordStart = -1;
                }

                yield return (index, token.Content.Length);
                index += token.Content.Length;
                continue;
            }

            var (codePoint, consumed) = CodePointAt(text, index);
            var whitespace = BertCharacterClasses.IsWhitespace(codePoint);
            if (whitespace || BertCharacterClasses.IsPunctuation(codePoint))
            {
                if (wordStart >= 0)
                {
                    yield return (wordStart, index - wordStart);
                    wordStart = -1;
                }

                if (!whitespace)
                {
                    yield return (index, consumed);
                }
            }
            else if (wordStart < 0)
            {
                wordStart = index;
            }

            index += consumed;
        }

        if (wordStart >= 0)
        {
            yield return (wordStart, text.Length - wordStart);
        }
    }

    /// <summary>The code point at <paramref name="index"/>; an unpaired surrogate stands for itself.</summary>
    private static (int CodePoint, int Length) CodePointAt(string text, int index)
    {
        var unit = text[index];
        if (!char.IsSurrogate(unit))
        {
            return (unit, 1);
        }

        return Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed) == System.Buffers.OperationStatus.Done
            ? (rune.Value, consumed)
            : (unit, 1);
    }
}
