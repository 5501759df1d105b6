using System.Buffers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Finds added tokens in a text as Hugging Face does: scanning left to right, at each position the
/// longest token that starts there wins, and matching resumes after it.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly AddedToken[] longestFirst;
    private readonly SearchValues<char> firstCharacters;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        longestFirst = [.. tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length)];
        firstCharacters = SearchValues.Create([.. longestFirst.Select(t => t.Content[0]).Distinct()]);
    }

    public bool IsEmpty => longestFirst.Length == 0;

    /// <summary>The first match at or after <paramref name="start"/>: its index and token, or (-1, null).</summary>
    public (int Index, AddedToken? Token) FindNext(string text, int start)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = start;
        while (index < text.Length)
        {
            var candidate = text.AsSpan(index).IndexOfAny(firstCharacters);
            if (candidate < 0)
            {
                break;
            }

            index += candidate;
            if (MatchAt(text, index) is { } token)
            {
                return (index, token);
            }

            index++;
        }

        return (-1, null);
    }

    /// <summary>The longest token that starts at <paramref name="index"/>, if any.</summary>
    public AddedToken? MatchAt(string text, int index)
    {
        if (!firstCharacters.Contains(text[index]))
        {
            return null;
        }

        var rest = text.AsSpan(index);
        foreach (var token in longestFirst)
        {
            if (rest.StartsWith(token.Content, StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }
}
