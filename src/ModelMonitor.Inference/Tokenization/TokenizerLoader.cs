using System.Text.Json;

namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Loads a BERT WordPiece tokenizer from a Hugging Face model folder: <c>tokenizer.json</c> when
/// present, otherwise <c>vocab.txt</c> with <c>tokenizer_config.json</c>.
/// </summary>
public static class TokenizerLoader
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabTxt = "vocab.txt";
    public const string TokenizerConfigJson = "tokenizer_config.json";

    /// <summary>Used when no file gives a maximum: BERT's 512 positions.</summary>
    public const int DefaultModelMaxLength = 512;

    /// <summary>Hugging Face writes a huge sentinel when a tokenizer has no maximum; anything above this is "unset".</summary>
    private const double UnsetMaxLengthThreshold = 1e9;

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
        using var document = ParseFile(path);
        var root = document.RootElement;
        var config = ReadTokenizerConfig(Path.Combine(Path.GetDirectoryName(path) ?? ".", TokenizerConfigJson));

        var model = Required(root, "model", path);
        var modelType = StringOrNull(model, "type");
        if (modelType != "WordPiece")
        {
            throw new TokenizerFormatException($"{path}: model type '{modelType}' is not supported; only WordPiece is.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Required(model, "vocab", path).EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var wordPiece = new WordPieceModel(
            vocabulary,
            StringOrNull(model, "unk_token") ?? "[UNK]",
            StringOrNull(model, "continuing_subword_prefix") ?? "##",
            model.TryGetProperty("max_input_chars_per_word", out var maxChars) && maxChars.ValueKind == JsonValueKind.Number ? maxChars.GetInt32() : 100);

        var addedTokens = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                addedTokens.Add(new AddedToken(
                    token.GetProperty("id").GetInt32(),
                    token.GetProperty("content").GetString() ?? string.Empty,
                    Flag(token, "special", true),
                    Flag(token, "normalized", false),
                    Flag(token, "lstrip", false),
                    Flag(token, "rstrip", false)));
            }
        }

        var normalizer = ReadNormalizer(root, path);
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object && StringOrNull(pre, "type") != "BertPreTokenizer")
        {
            throw new TokenizerFormatException($"{path}: pre_tokenizer '{StringOrNull(pre, "type")}' is not supported; only BertPreTokenizer is.");
        }

        var (prefix, suffix) = ReadTemplate(root, path, wordPiece);
        var padToken = config.PadToken ?? "[PAD]";
        var padId = addedTokens.FirstOrDefault(t => t.Content == padToken)?.Id ?? (wordPiece.TryGetId(padToken, out var id) ? id : 0);
        return new BertTokenizer(normalizer, wordPiece, addedTokens, prefix, suffix, padId, config.ModelMaxLength);
    }

    public static BertTokenizer FromVocabulary(string vocabPath, string? tokenizerConfigPath)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(vocabPath);
        for (var i = 0; i < lines.Length; i++)
        {
            // vocab.txt is one token per line, the line number being the id.
            vocabulary.TryAdd(lines[i].TrimEnd('\r'), i);
        }

        var config = ReadTokenizerConfig(tokenizerConfigPath);
        var wordPiece = new WordPieceModel(vocabulary, config.UnkToken, "##", 100);
        string[] specials = [config.PadToken ?? "[PAD]", config.UnkToken, config.ClsToken, config.SepToken, config.MaskToken];
        var addedTokens = specials.Distinct(StringComparer.Ordinal)
            .Where(vocabulary.ContainsKey)
            .Select(t => new AddedToken(vocabulary[t], t))
            .OrderBy(t => t.Id)
            .ToList();
        var normalizer = new BertNormalizer(new BertNormalizerOptions
        {
            CleanText = true,
            HandleChineseChars = config.TokenizeChineseChars,
            StripAccents = config.StripAccents,
            Lowercase = config.DoLowerCase,
        });
        int[] prefix = [IdOf(wordPiece, config.ClsToken, vocabPath)];
        int[] suffix = [IdOf(wordPiece, config.SepToken, vocabPath)];
        var padId = vocabulary.TryGetValue(config.PadToken ?? "[PAD]", out var pad) ? pad : 0;
        return new BertTokenizer(normalizer, wordPiece, addedTokens, prefix, suffix, padId, config.ModelMaxLength);
    }

    private static BertNormalizer? ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = StringOrNull(normalizer, "type");
        if (type != "BertNormalizer")
        {
            throw new TokenizerFormatException($"{path}: normalizer '{type}' is not supported; only BertNormalizer is.");
        }

        bool? stripAccents = normalizer.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : null;
        return new BertNormalizer(new BertNormalizerOptions
        {
            CleanText = Flag(normalizer, "clean_text", true),
            HandleChineseChars = Flag(normalizer, "handle_chinese_chars", true),
            StripAccents = stripAccents,
            Lowercase = Flag(normalizer, "lowercase", true),
        });
    }

    /// <summary>Reads the single-sequence template: the special ids before and after sequence A.</summary>
    private static (int[] Prefix, int[] Suffix) ReadTemplate(JsonElement root, string path, WordPieceModel model)
    {
        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind != JsonValueKind.Object)
        {
            return ([], []);
        }

        var type = StringOrNull(processor, "type");
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
        foreach (var piece in Required(processor, "single", path).EnumerateArray())
        {
            if (piece.TryGetProperty("Sequence", out _))
            {
                seenSequence = true;
                continue;
            }

            var name = piece.GetProperty("SpecialToken").GetProperty("id").GetString() ?? string.Empty;
            var ids = specialTokens.ValueKind == JsonValueKind.Object && specialTokens.TryGetProperty(name, out var special)
                ? special.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()
                : [IdOf(model, name, path)];
            (seenSequence ? suffix : prefix).AddRange(ids);
        }

        return ([.. prefix], [.. suffix]);
    }

    private sealed record TokenizerConfig(
        bool DoLowerCase,
        bool? StripAccents,
        bool TokenizeChineseChars,
        string UnkToken,
        string ClsToken,
        string SepToken,
        string MaskToken,
        string? PadToken,
        int ModelMaxLength);

    private static TokenizerConfig ReadTokenizerConfig(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new TokenizerConfig(true, null, true, "[UNK]", "[CLS]", "[SEP]", "[MASK]", null, DefaultModelMaxLength);
        }

        using var document = ParseFile(path);
        var root = document.RootElement;
        var maxLength = DefaultModelMaxLength;
        if (root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number && max.GetDouble() < UnsetMaxLengthThreshold)
        {
            maxLength = (int)max.GetDouble();
        }

        bool? stripAccents = root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? strip.GetBoolean()
            : null;
        return new TokenizerConfig(
            Flag(root, "do_lower_case", true),
            stripAccents,
            Flag(root, "tokenize_chinese_chars", true),
            TokenString(root, "unk_token") ?? "[UNK]",
            TokenString(root, "cls_token") ?? "[CLS]",
            TokenString(root, "sep_token") ?? "[SEP]",
            TokenString(root, "mask_token") ?? "[MASK]",
            TokenString(root, "pad_token"),
            maxLength);
    }

    /// <summary>Special tokens appear either as strings or as objects with a "content" field.</summary>
    private static string? TokenString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }

    private static int IdOf(WordPieceModel model, string token, string path) =>
        model.TryGetId(token, out var id) ? id : throw new TokenizerFormatException($"{path}: special token '{token}' is not in the vocabulary.");

    private static JsonDocument ParseFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new TokenizerFormatException($"{path}: required field '{name}' is missing.");

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement element, string name, bool fallback) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;
}
