namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// The full BERT WordPiece pipeline as Hugging Face runs it: added-token split, BertNormalizer,
/// BertPreTokenizer, WordPiece, then the <c>[CLS] … [SEP]</c> template with truncation.
/// Thread-safe: it holds no mutable state.
/// </summary>
public sealed class BertTokenizer
{
    private readonly AddedTokenSplitter rawSplitter;
    private readonly AddedTokenSplitter normalizedSplitter;
    private readonly Dictionary<string, AddedToken> addedByContent;
    private readonly int[] prefixIds;
    private readonly int[] suffixIds;

    public BertTokenizer(
        BertNormalizer? normalizer,
        WordPieceModel model,
        IReadOnlyList<AddedToken> addedTokens,
        IReadOnlyList<int> prefixIds,
        IReadOnlyList<int> suffixIds,
        int padId,
        int modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(addedTokens);
        ArgumentNullException.ThrowIfNull(prefixIds);
        ArgumentNullException.ThrowIfNull(suffixIds);
        Normalizer = normalizer;
        Model = model ?? throw new ArgumentNullException(nameof(model));
        AddedTokens = addedTokens;
        this.prefixIds = [.. prefixIds];
        this.suffixIds = [.. suffixIds];
        PadId = padId;
        if (modelMaxLength < this.prefixIds.Length + this.suffixIds.Length + 1)
        {
            throw new TokenizerFormatException($"model_max_length {modelMaxLength} leaves no room for text between the special tokens.");
        }

        ModelMaxLength = modelMaxLength;
        rawSplitter = new AddedTokenSplitter(addedTokens.Where(t => !t.Normalized || normalizer is null));
        normalizedSplitter = new AddedTokenSplitter(
            normalizer is null ? [] : addedTokens.Where(t => t.Normalized).Select(t => t with { Content = normalizer.Normalize(t.Content) }));
        addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            addedByContent.TryAdd(token.Content, token);
        }
    }

    public BertNormalizer? Normalizer { get; }

    public WordPieceModel Model { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public int PadId { get; }

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

        var untruncated = content.Count + SpecialTokenCount;
        var kept = Math.Min(content.Count, room);
        var ids = new int[kept + SpecialTokenCount];
        prefixIds.CopyTo(ids, 0);
        content.CopyTo(0, ids, prefixIds.Length, kept);
        suffixIds.CopyTo(ids, prefixIds.Length + kept);
        return new TokenizerEncoding(ids, kept < content.Count, untruncated);
    }

    /// <summary>The token strings for ids (added tokens included).</summary>
    public string[] IdsToTokens(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            tokens[i] = Model.IdToToken(ids[i]) ?? AddedTokens.FirstOrDefault(t => t.Id == ids[i])?.Content ?? Model.UnknownToken;
        }

        return tokens;
    }

    /// <summary>The ids of the text alone, without the template's special tokens.</summary>
    public List<int> EncodeContent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 4 + 4);
        var words = new List<Range>();
        foreach (var section in rawSplitter.Split(text))
        {
            if (section.Text.Length == 0)
            {
                continue;
            }

            if (section.Token is not null || addedByContent.ContainsKey(section.Text))
            {
                ids.Add((section.Token ?? addedByContent[section.Text]).Id);
                continue;
            }

            var normalized = Normalizer?.Normalize(section.Text) ?? section.Text;
            if (normalized.Length == 0)
            {
                continue;
            }

            foreach (var subsection in normalizedSplitter.Split(normalized))
            {
                if (subsection.Text.Length == 0)
                {
                    continue;
                }

                if (subsection.Token is not null)
                {
                    ids.Add(subsection.Token.Id);
                    continue;
                }

                words.Clear();
                BertPreTokenizer.Split(subsection.Text, words);
                foreach (var word in words)
                {
                    Model.Encode(subsection.Text.AsSpan()[word], ids);
                }
            }
        }

        return ids;
    }
}
