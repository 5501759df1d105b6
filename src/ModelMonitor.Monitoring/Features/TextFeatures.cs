using System.Text;

namespace ModelMonitor.Monitoring.Features;

/// <summary>Computes a prediction's features from its text, its token ids and its probabilities.</summary>
public static class TextFeatures
{
    /// <param name="text">The text as sent.</param>
    /// <param name="ids">The token ids the model saw, special tokens included.</param>
    /// <param name="specialTokens">How many of <paramref name="ids"/> are special tokens ([CLS], [SEP]).</param>
    /// <param name="unknownId">The id of the unknown token.</param>
    /// <param name="untruncatedLength">Token count before truncation, special tokens included.</param>
    /// <param name="truncated">Whether content was cut.</param>
    /// <param name="probabilities">Every label's probability.</param>
    /// <param name="isContinuation">Whether a token id continues a word (a WordPiece <c>##</c> piece); null: unknown, the word features are 0.</param>
    public static TextFeatureVector Compute(string text, ReadOnlySpan<int> ids, int specialTokens, int unknownId, int untruncatedLength, bool truncated, ReadOnlySpan<double> probabilities, Func<int, bool>? isContinuation = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (chars, nonLetterShare) = Characters(text);
        var content = Math.Max(0, ids.Length - specialTokens);
        var unknown = 0;
        foreach (var id in ids)
        {
            unknown += id == unknownId ? 1 : 0;
        }

        var (label, confidence, margin, entropy) = Outputs(probabilities);
        var (piecesPerWord, splitWordShare) = isContinuation is null ? (0.0, 0.0) : Words(ids, specialTokens, isContinuation);
        return new TextFeatureVector(
            chars,
            untruncatedLength,
            content == 0 ? 0 : (double)unknown / content,
            nonLetterShare,
            truncated,
            label,
            confidence,
            margin,
            entropy)
        {
            Probabilities = probabilities.ToArray(),
            UpperCaseShare = UpperCaseShare(text),
            PiecesPerWord = piecesPerWord,
            SplitWordShare = splitWordShare,
        };
    }

    /// <summary>Share of letters that are upper-case, on the text as sent (0 without letters).</summary>
    public static double UpperCaseShare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int letters = 0, upper = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                letters++;
                upper += Rune.IsUpper(rune) ? 1 : 0;
            }
        }

        return letters == 0 ? 0 : (double)upper / letters;
    }

    /// <summary>
    /// Over the content tokens (special tokens [CLS] and [SEP] at the ends left out): pieces per word
    /// and the share of words of 3 or more pieces. A word is a token that does not continue another.
    /// </summary>
    public static (double PiecesPerWord, double SplitWordShare) Words(ReadOnlySpan<int> ids, int specialTokens, Func<int, bool> isContinuation)
    {
        ArgumentNullException.ThrowIfNull(isContinuation);
        var leading = Math.Min(1, specialTokens);
        var content = ids.Slice(Math.Min(leading, ids.Length), Math.Max(0, ids.Length - specialTokens));
        int words = 0, split = 0, pieces = 0;
        foreach (var id in content)
        {
            if (isContinuation(id) && words > 0)
            {
                pieces++;
                continue;
            }

            split += pieces >= 3 ? 1 : 0;
            words++;
            pieces = 1;
        }

        split += pieces >= 3 ? 1 : 0;
        return words == 0 ? (0, 0) : ((double)content.Length / words, (double)split / words);
    }

    /// <summary>Code points, and the share of non-whitespace code points that are not letters (0 for blank text).</summary>
    public static (int Chars, double NonLetterShare) Characters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int chars = 0, visible = 0, nonLetters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            chars++;
            if (Rune.IsWhiteSpace(rune))
            {
                continue;
            }

            visible++;
            nonLetters += Rune.IsLetter(rune) ? 0 : 1;
        }

        return (chars, visible == 0 ? 0 : (double)nonLetters / visible);
    }

    /// <summary>The argmax (first on ties), the top probability, the top minus the runner-up, and the entropy in bits.</summary>
    public static (int Label, double Confidence, double Margin, double Entropy) Outputs(ReadOnlySpan<double> probabilities)
    {
        if (probabilities.IsEmpty)
        {
            throw new ArgumentException("A prediction has at least one probability.", nameof(probabilities));
        }

        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        var second = 0.0;
        var entropy = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (i != best)
            {
                second = Math.Max(second, p);
            }

            if (p > 0)
            {
                entropy -= p * Math.Log2(p);
            }
        }

        return (best, probabilities[best], probabilities[best] - second, Math.Max(0, entropy));
    }
}
