using System.Buffers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// WordPiece: greedy longest-match-first over a word's code points, with continuation pieces
/// prefixed (<c>##</c>); a word with no full cover, or longer than
/// <see cref="MaxInputCharsPerWord"/> code points, becomes the unknown token.
/// </summary>
public sealed class WordPieceModel
{
    private readonly Dictionary<string, int> vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private readonly string[] idToToken;

    public WordPieceModel(IReadOnlyDictionary<string, int> vocabulary, string unknownToken, string continuingSubwordPrefix = "##", int maxInputCharsPerWord = 100)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        this.vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        lookup = this.vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!this.vocabulary.TryGetValue(unknownToken, out var unknownId))
        {
            throw new TokenizerFormatException($"The unknown token '{unknownToken}' is not in the vocabulary.");
        }

        UnknownToken = unknownToken;
        UnknownId = unknownId;
        ContinuingSubwordPrefix = continuingSubwordPrefix;
        MaxInputCharsPerWord = maxInputCharsPerWord;
        idToToken = new string[this.vocabulary.Values.Max() + 1];
        foreach (var (token, id) in this.vocabulary)
        {
            idToToken[id] = token;
        }
    }

    public string UnknownToken { get; }

    public int UnknownId { get; }

    public string ContinuingSubwordPrefix { get; }

    public int MaxInputCharsPerWord { get; }

    public int VocabularySize => vocabulary.Count;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => lookup.TryGetValue(token, out id);

    public string? IdToToken(int id) => id >= 0 && id < idToToken.Length ? idToToken[id] : null;

    /// <summary>Appends the ids of <paramref name="word"/>'s pieces to <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> word, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var codePoints = CountCodePoints(word);
        if (codePoints > MaxInputCharsPerWord)
        {
            ids.Add(UnknownId);
            return;
        }

        var prefix = ContinuingSubwordPrefix.AsSpan();
        var buffer = ArrayPool<char>.Shared.Rent(prefix.Length + word.Length);
        var firstPiece = ids.Count;
        try
        {
            prefix.CopyTo(buffer);
            var start = 0;
            while (start < word.Length)
            {
                var end = word.Length;
                var found = -1;
                while (start < end)
                {
                    var piece = word[start..end];
                    bool hit;
                    int id;
                    if (start > 0)
                    {
                        piece.CopyTo(buffer.AsSpan(prefix.Length));
                        hit = lookup.TryGetValue(buffer.AsSpan(0, prefix.Length + piece.Length), out id);
                    }
                    else
                    {
                        hit = lookup.TryGetValue(piece, out id);
                    }

                    if (hit)
                    {
                        found = id;
                        break;
                    }

                    end = PreviousBoundary(word, end);
                }

                if (found < 0)
                {
                    ids.RemoveRange(firstPiece, ids.Count - firstPiece);
                    ids.Add(UnknownId);
                    return;
                }

                ids.Add(found);
                start = end;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int CountCodePoints(ReadOnlySpan<char> word)
    {
        var count = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (!(char.IsLowSurrogate(word[i]) && i > 0 && char.IsHighSurrogate(word[i - 1])))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Steps back one code point, never splitting a surrogate pair.</summary>
    private static int PreviousBoundary(ReadOnlySpan<char> word, int end)
    {
        if (end >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]))
        {
            return end - 2;
        }

        return end - 1;
    }
}
