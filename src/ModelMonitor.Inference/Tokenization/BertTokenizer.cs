using Microsoft.ML.Tokenizers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// The BERT pipeline as Hugging Face runs it, on Microsoft.ML.Tokenizers: typed added tokens are
/// cut out of the raw text first, the library's <see cref="WordPieceTokenizer"/> (with our
/// <see cref="HuggingFaceBertNormalizer"/> and <see cref="HuggingFaceBertPreTokenizer"/>) encodes
/// the text between them, then the <c>[CLS] … [SEP]</c> template is applied with truncation.
/// Thread-safe: it holds no mutable state.
/// </summary>
/// <remarks>
/// Two steps stay ours. Added tokens: the reference matches them in the raw text before
/// normalising, while the library matches special tokens only after its normaliser ran, so a
/// typed <c>[mask]</c> would become the mask token there; the reference keeps it as <c>[</c>,
/// <c>mask</c>, <c>]</c>. Truncation: the library's token limit drops whole words, while the
/// reference cuts between WordPiece pieces.
/// </remarks>
public sealed class BertTokenizer
{
    private readonly AddedTokenMatcher? rawAddedTokens;
    private readonly Dictionary<string, int> addedByContent;
    private readonly TokenTable idToToken;
    private readonly int[] prefixIds;
    private readonly int[] suffixIds;

    internal BertTokenizer(
        WordPieceTokenizer wordPiece,
        IReadOnlyList<AddedToken> addedTokens,
        TokenTable idToToken,
        IReadOnlyList<int> prefixIds,
        IReadOnlyList<int> suffixIds,
        int padId,
        int modelMaxLength)
    {
        WordPiece = wordPiece;
        AddedTokens = addedTokens;
        this.idToToken = idToToken;
        this.prefixIds = [.. prefixIds];
        this.suffixIds = [.. suffixIds];
        PadId = padId;
        if (modelMaxLength < this.prefixIds.Length + this.suffixIds.Length + 1)
        {
            throw new TokenizerFormatException($"model_max_length {modelMaxLength} leaves no room for text between the special tokens.");
        }

        ModelMaxLength = modelMaxLength;
        var raw = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized || wordPiece.Normalizer is null));
        rawAddedTokens = raw.IsEmpty ? null : raw;
        addedByContent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            addedByContent.TryAdd(token.Content, token.Id);
        }
    }

    /// <summary>The library tokenizer that normalises, pre-tokenizes and runs WordPiece.</summary>
    public WordPieceTokenizer WordPiece { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public int PadId { get; }

    public int UnknownId => WordPiece.UnknownTokenId;

    /// <summary>The longest sequence, special tokens included, the model accepts.</summary>
    public int ModelMaxLength { get; }

    /// <summary>Number of special tokens the template adds around a single text.</summary>
    public int SpecialTokenCount => prefixIds.Length + suffixIds.Length;

    /// <summary>
    /// Encodes one text. With <paramref name="truncate"/>, content is cut so that the whole sequence
    /// fits <paramref name="maxLength"/> (default and ceiling: <see cref="ModelMaxLength"/>) with the
    /// template kept intact, as Hugging Face's Python and Rust tokenizers do.
    /// </summary>
    public TokenizerEncoding Encode(string text, bool addSpecialTokens = true, int? maxLength = null, bool truncate = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var content = EncodeContent(text);
        if (!addSpecialTokens)
        {
            return new TokenizerEncoding([.. content], Truncated: false, content.Count);
        }

        var limit = truncate ? Math.Min(maxLength ?? ModelMaxLength, ModelMaxLength) : int.MaxValue;
        var room = limit - SpecialTokenCount;
        if (room < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"maxLength {limit} leaves no room for text between the special tokens.");
        }

        var kept = Math.Min(content.Count, room);
        var ids = new int[kept + SpecialTokenCount];
        prefixIds.CopyTo(ids, 0);
        content.CopyTo(0, ids, prefixIds.Length, kept);
        suffixIds.CopyTo(ids, prefixIds.Length + kept);
        return new TokenizerEncoding(ids, kept < content.Count, content.Count + SpecialTokenCount);
    }

    /// <summary>Whether an id is a WordPiece continuation piece: its token starts with BERT's <c>##</c> prefix.</summary>
    public bool IsContinuation(int id) => idToToken.StartsWith(id, "##");

    /// <summary>The token strings for ids (added tokens included).</summary>
    public string[] IdsToTokens(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            tokens[i] = idToToken[id] ?? WordPiece.UnknownToken;
        }

        return tokens;
    }

    /// <summary>The ids of the text alone, without the template's special tokens.</summary>
    public List<int> EncodeContent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (index, token) = rawAddedTokens?.FindNext(text, 0) ?? (-1, null);
        if (token is null)
        {
            // The common case: no typed added token, so the library's list is the answer.
            return EncodeSection(text);
        }

        var ids = new List<int>(text.Length / 4 + 4);
        var start = 0;
        while (token is not null)
        {
            ids.AddRange(EncodeSection(text[start..index]));
            ids.Add(token.Id);
            start = index + token.Content.Length;
            (index, token) = rawAddedTokens!.FindNext(text, start);
        }

        ids.AddRange(EncodeSection(text[start..]));
        return ids;
    }

    private List<int> EncodeSection(string section)
    {
        if (section.Length == 0)
        {
            return [];
        }

        // A section that is exactly an added token's text (say, a normalized one typed raw) is that token, as in the reference.
        if (addedByContent.TryGetValue(section, out var id))
        {
            return [id];
        }

        var ids = WordPiece.EncodeToIds(section);
        return ids as List<int> ?? [.. ids];
    }
}
