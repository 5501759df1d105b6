using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Loads a BERT WordPiece tokenizer from a Hugging Face model folder: <c>tokenizer.json</c> when
/// present, otherwise <c>vocab.txt</c> with <c>tokenizer_config.json</c>. Either way the result is
/// the library's <see cref="WordPieceTokenizer"/> with our Hugging Face-exact normaliser and
/// pre-tokenizer, wrapped in <see cref="BertTokenizer"/>.
/// </summary>
public static class TokenizerLoader
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabTxt = "vocab.txt";
    public const string TokenizerConfigJson = "tokenizer_config.json";

    /// <summary>Used when no file gives a maximum: BERT's 512 positions.</summary>
    public const int DefaultModelMaxLength = TokenizerConfig.DefaultModelMaxLength;

    /// <summary>WordPiece's defaults, as in Hugging Face tokenizers.</summary>
    private const string DefaultContinuingSubwordPrefix = "##";

    private const int DefaultMaxInputCharsPerWord = 100;

    public static BertTokenizer FromDirectory(string directory)
    {
        var tokenizerJson = Path.Combine(directory, TokenizerJson);
        if (File.Exists(tokenizerJson))
        {
            return FromTokenizerJson(tokenizerJson);
        }

        var vocab = Path.Combine(directory, VocabTxt);
        if (File.Exists(vocab))
        {
            return FromVocabulary(vocab, Path.Combine(directory, TokenizerConfigJson));
        }

        throw new TokenizerFormatException($"No tokenizer in '{directory}': expected {TokenizerJson}, or {VocabTxt} with {TokenizerConfigJson}.");
    }

    public static BertTokenizer FromTokenizerJson(string path)
    {
        using var document = JsonFields.ParseFile(path);
        var root = document.RootElement;
        var config = TokenizerConfig.Read(Path.Combine(Path.GetDirectoryName(path) ?? ".", TokenizerConfigJson));

        var model = JsonFields.Required(root, "model", path);
        var modelType = JsonFields.StringOrNull(model, "type");
        if (modelType != "WordPiece")
        {
            throw new TokenizerFormatException($"{path}: model type '{modelType}' is not supported; only WordPiece is.");
        }

        var vocabulary = WordPieceVocabulary.FromJson(JsonFields.Required(model, "vocab", path));
        var addedTokens = ReadAddedTokens(root);
        var normalizer = ReadNormalizer(root, path);
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object && JsonFields.StringOrNull(pre, "type") != "BertPreTokenizer")
        {
            throw new TokenizerFormatException($"{path}: pre_tokenizer '{JsonFields.StringOrNull(pre, "type")}' is not supported; only BertPreTokenizer is.");
        }

        var (prefix, suffix) = ReadTemplate(root, path, vocabulary);
        var padToken = config.PadToken ?? "[PAD]";
        var padId = addedTokens.FirstOrDefault(t => t.Content == padToken)?.Id ?? (vocabulary.TryGetId(padToken, out var id) ? id : 0);
        var idTable = vocabulary.ToIdTable(addedTokens);

        // Added tokens matched after normalisation reach the library as pre-tokenized words, which
        // its WordPiece looks up: their normalised text goes into the vocabulary at their id.
        var normalizedTokens = normalizer is null ? [] : addedTokens.Where(t => t.Normalized).Select(t => t with { Content = normalizer.Normalize(t.Content) }).ToArray();
        foreach (var token in normalizedTokens)
        {
            vocabulary.Set(token.Id, token.Content);
        }

        using var vocabStream = vocabulary.ToVocabTxtStream();
        var wordPiece = CreateWordPiece(vocabStream, path, new WordPieceOptions
        {
            Normalizer = normalizer,
            PreTokenizer = new HuggingFaceBertPreTokenizer(normalizedTokens),
            SpecialTokens = SpecialTokens(addedTokens),
            UnknownToken = JsonFields.StringOrNull(model, "unk_token") ?? "[UNK]",
            ContinuingSubwordPrefix = JsonFields.StringOrNull(model, "continuing_subword_prefix") ?? DefaultContinuingSubwordPrefix,
            MaxInputCharsPerWord = model.TryGetProperty("max_input_chars_per_word", out var maxChars) && maxChars.ValueKind == JsonValueKind.Number ? maxChars.GetInt32() : DefaultMaxInputCharsPerWord,
        });
        return new BertTokenizer(wordPiece, addedTokens, idTable, prefix, suffix, padId, config.ModelMaxLength);
    }

    public static BertTokenizer FromVocabulary(string vocabPath, string? tokenizerConfigPath)
    {
        var vocabulary = WordPieceVocabulary.FromLines(vocabPath);
        var config = TokenizerConfig.Read(tokenizerConfigPath);
        string[] specials = [config.PadToken ?? "[PAD]", config.UnkToken, config.ClsToken, config.SepToken, config.MaskToken];
        var addedTokens = specials.Distinct(StringComparer.Ordinal)
            .Select(t => vocabulary.TryGetId(t, out var id) ? new AddedToken(id, t) : null)
            .OfType<AddedToken>()
            .OrderBy(t => t.Id)
            .ToList();
        var normalizer = new HuggingFaceBertNormalizer(new BertNormalizerOptions
        {
            CleanText = true,
            HandleChineseChars = config.TokenizeChineseChars,
            StripAccents = config.StripAccents,
            Lowercase = config.DoLowerCase,
        });
        int[] prefix = [IdOf(vocabulary, config.ClsToken, vocabPath)];
        int[] suffix = [IdOf(vocabulary, config.SepToken, vocabPath)];
        var padId = vocabulary.TryGetId(config.PadToken ?? "[PAD]", out var pad) ? pad : 0;

        using var vocabStream = File.OpenRead(vocabPath);
        var wordPiece = CreateWordPiece(vocabStream, vocabPath, new WordPieceOptions
        {
            Normalizer = normalizer,
            PreTokenizer = new HuggingFaceBertPreTokenizer(),
            SpecialTokens = SpecialTokens(addedTokens),
            UnknownToken = config.UnkToken,
            ContinuingSubwordPrefix = DefaultContinuingSubwordPrefix,
            MaxInputCharsPerWord = DefaultMaxInputCharsPerWord,
        });
        return new BertTokenizer(wordPiece, addedTokens, vocabulary.ToIdTable(addedTokens), prefix, suffix, padId, config.ModelMaxLength);
    }

    private static WordPieceTokenizer CreateWordPiece(Stream vocab, string path, WordPieceOptions options)
    {
        try
        {
            return WordPieceTokenizer.Create(vocab, options);
        }
        catch (ArgumentException e)
        {
            // A missing unknown token, a repeated vocabulary entry or an invalid setting.
            throw new TokenizerFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The library's notion of special tokens (used when decoding with skipSpecialTokens).</summary>
    private static Dictionary<string, int> SpecialTokens(IEnumerable<AddedToken> addedTokens)
    {
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in addedTokens.Where(t => t.Special))
        {
            special.TryAdd(token.Content, token.Id);
        }

        return special;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var addedTokens = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                addedTokens.Add(new AddedToken(
                    token.GetProperty("id").GetInt32(),
                    token.GetProperty("content").GetString() ?? string.Empty,
                    JsonFields.Flag(token, "special", true),
                    JsonFields.Flag(token, "normalized", false)));
            }
        }

        return addedTokens;
    }

    private static HuggingFaceBertNormalizer? ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = JsonFields.StringOrNull(normalizer, "type");
        if (type != "BertNormalizer")
        {
            throw new TokenizerFormatException($"{path}: normalizer '{type}' is not supported; only BertNormalizer is.");
        }

        return new HuggingFaceBertNormalizer(new BertNormalizerOptions
        {
            CleanText = JsonFields.Flag(normalizer, "clean_text", true),
            HandleChineseChars = JsonFields.Flag(normalizer, "handle_chinese_chars", true),
            StripAccents = JsonFields.OptionalFlag(normalizer, "strip_accents"),
            Lowercase = JsonFields.Flag(normalizer, "lowercase", true),
        });
    }

    /// <summary>Reads the single-sequence template: the special ids before and after sequence A.</summary>
    private static (int[] Prefix, int[] Suffix) ReadTemplate(JsonElement root, string path, WordPieceVocabulary vocabulary)
    {
        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind != JsonValueKind.Object)
        {
            return ([], []);
        }

        var type = JsonFields.StringOrNull(processor, "type");
        if (type == "BertProcessing")
        {
            var cls = processor.GetProperty("cls");
            var sep = processor.GetProperty("sep");
            return ([cls[1].GetInt32()], [sep[1].GetInt32()]);
        }

        if (type != "TemplateProcessing")
        {
            throw new TokenizerFormatException($"{path}: post_processor '{type}' is not supported; TemplateProcessing and BertProcessing are.");
        }

        var specialTokens = processor.TryGetProperty("special_tokens", out var map) ? map : default;
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var piece in JsonFields.Required(processor, "single", path).EnumerateArray())
        {
            if (piece.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }

            var name = piece.GetProperty("SpecialToken").GetProperty("id").GetString() ?? string.Empty;
            var ids = specialTokens.ValueKind == JsonValueKind.Object && specialTokens.TryGetProperty(name, out var special)
                ? special.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()
                : [IdOf(vocabulary, name, path)];
            (seenSequence ? suffix : prefix).AddRange(ids);
        }

        return ([.. prefix], [.. suffix]);
    }

    private static int IdOf(WordPieceVocabulary vocabulary, string token, string path) =>
        vocabulary.TryGetId(token, out var id) ? id : throw new TokenizerFormatException($"{path}: special token '{token}' is not in the vocabulary.");
}
