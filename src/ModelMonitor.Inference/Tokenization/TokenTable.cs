using System.Collections;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// The id → token text table, packed: every token's characters in one array, with where each starts.
/// </summary>
/// <remarks>
/// The library's WordPiece keeps its own vocabulary and offers no id → token lookup, so this table
/// is a second copy. As 30,522 separate strings it held 1.4 MB of live managed heap for the life of
/// the process; packed, it is 0.5 MB, and strings are made only when <c>/tokenize</c> asks for
/// them. The saving is the 0.9 MB itself; under Server GC, whose gen0 budget grows with the live
/// heap, dropping those strings lowered sst2-tiny's peak under 32 clients by about 10 MB
/// (docs/inference.md#memory).
/// </remarks>
internal sealed class TokenTable
{
    private readonly char[] chars;
    private readonly int[] starts;
    private readonly BitArray present;

    public TokenTable(IReadOnlyList<string?> tokens)
    {
        starts = new int[tokens.Count + 1];
        present = new BitArray(tokens.Count);
        var length = 0;
        for (var id = 0; id < tokens.Count; id++)
        {
            length += tokens[id]?.Length ?? 0;
        }

        chars = new char[length];
        var at = 0;
        for (var id = 0; id < tokens.Count; id++)
        {
            starts[id] = at;
            if (tokens[id] is { } token)
            {
                present[id] = true;
                token.CopyTo(chars.AsSpan(at));
                at += token.Length;
            }
        }

        starts[tokens.Count] = at;
    }

    /// <summary>The token at <paramref name="id"/>, or null for an id outside the table or one no token has.</summary>
    public string? this[int id] => Contains(id) ? new string(Chars(id)) : null;

    /// <summary>Whether the token at <paramref name="id"/> starts with <paramref name="prefix"/>, without making its string.</summary>
    public bool StartsWith(int id, string prefix) => Contains(id) && Chars(id).StartsWith(prefix, StringComparison.Ordinal);

    private bool Contains(int id) => id >= 0 && id < present.Length && present[id];

    private ReadOnlySpan<char> Chars(int id) => chars.AsSpan(starts[id], starts[id + 1] - starts[id]);
}
