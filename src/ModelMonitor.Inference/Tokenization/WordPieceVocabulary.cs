using System.Text;
using System.Text.Json;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// A WordPiece vocabulary read from tokenizer.json or vocab.txt, kept by id. The library's
/// WordPiece owns the lookups; this is the id → token table for display, and the way to hand a
/// tokenizer.json vocabulary to the library, whose only input is vocab.txt's format.
/// </summary>
internal sealed class WordPieceVocabulary
{
    private readonly List<string?> tokens = [];
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);

    public static WordPieceVocabulary FromJson(JsonElement vocab)
    {
        var vocabulary = new WordPieceVocabulary();
        foreach (var entry in vocab.EnumerateObject())
        {
            vocabulary.Set(entry.Value.GetInt32(), entry.Name);
        }

        return vocabulary;
    }

    /// <summary>vocab.txt: one token per line, the line number being the id; empty lines are skipped as the library skips them.</summary>
    public static WordPieceVocabulary FromLines(string path)
    {
        var vocabulary = new WordPieceVocabulary();
        using var reader = new StreamReader(path);
        var id = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine(), id++)
        {
            if (line.Length > 0 && !vocabulary.ids.ContainsKey(line))
            {
                vocabulary.Set(id, line);
            }
        }

        return vocabulary;
    }

    public bool TryGetId(string token, out int id) => ids.TryGetValue(token, out id);

    /// <summary>Puts <paramref name="token"/> at <paramref name="id"/>, replacing what was there.</summary>
    public void Set(int id, string token)
    {
        if (id < 0)
        {
            throw new TokenizerFormatException($"Token '{token}' has a negative id {id}.");
        }

        while (tokens.Count <= id)
        {
            tokens.Add(null);
        }

        if (tokens[id] is { } previous)
        {
            ids.Remove(previous);
        }

        if (ids.TryGetValue(token, out var other))
        {
            tokens[other] = null;
        }

        tokens[id] = token;
        ids[token] = id;
    }

    /// <summary>The id → token table, with added tokens filling the ids the vocabulary leaves empty.</summary>
    public TokenTable ToIdTable(IEnumerable<AddedToken> addedTokens)
    {
        var table = new List<string?>(tokens);
        foreach (var token in addedTokens)
        {
            while (table.Count <= token.Id)
            {
                table.Add(null);
            }

            table[token.Id] ??= token.Content;
        }

        return new TokenTable(table);
    }

    /// <summary>
    /// The vocabulary in vocab.txt's format for the library: line n holds token n. Unused ids, and
    /// tokens with a line break (which no word can contain: line breaks are whitespace), are empty
    /// lines, which the library skips while still counting them.
    /// </summary>
    public MemoryStream ToVocabTxtStream()
    {
        var text = new StringBuilder(tokens.Count * 8);
        foreach (var token in tokens)
        {
            if (token is not null && token.AsSpan().IndexOfAny('\r', '\n') < 0)
            {
                text.Append(token);
            }

            text.Append('\n');
        }

        return new MemoryStream(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString()), writable: false);
    }
}
