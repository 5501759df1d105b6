namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// Cuts text into sections around added tokens (such as <c>[MASK]</c> typed in the input): at each
/// position the longest added token that starts there wins; <c>lstrip</c>/<c>rstrip</c> trim the
/// neighbouring sections' whitespace.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] tokens;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        this.tokens = tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length).ToArray();
    }

    public bool IsEmpty => tokens.Length == 0;

    /// <summary>A piece of input: either plain text or one added token.</summary>
    public readonly record struct Section(string Text, AddedToken? Token);

    public List<Section> Split(string text)
    {
        var sections = new List<Section>();
        if (tokens.Length == 0)
        {
            sections.Add(new Section(text, null));
            return sections;
        }

        var start = 0;
        var index = 0;
        while (index < text.Length)
        {
            var match = Match(text, index);
            if (match is null)
            {
                index++;
                continue;
            }

            if (index > start)
            {
                sections.Add(new Section(text[start..index], null));
            }

            sections.Add(new Section(match.Content, match));
            index += match.Content.Length;
            start = index;
        }

        if (start < text.Length)
        {
            sections.Add(new Section(text[start..], null));
        }

        ApplyStrip(sections);
        return sections;
    }

    private AddedToken? Match(string text, int index)
    {
        // Sorted longest first, so the first hit is the longest match.
        foreach (var token in tokens)
        {
            if (string.CompareOrdinal(text, index, token.Content, 0, token.Content.Length) == 0)
            {
                return token;
            }
        }

        return null;
    }

    private static void ApplyStrip(List<Section> sections)
    {
        for (var i = 0; i < sections.Count; i++)
        {
            var token = sections[i].Token;
            if (token is null)
            {
                continue;
            }

            if (token.LeftStrip && i > 0 && sections[i - 1].Token is null)
            {
                sections[i - 1] = sections[i - 1] with { Text = TrimEnd(sections[i - 1].Text) };
            }

            if (token.RightStrip && i < sections.Count - 1 && sections[i + 1].Token is null)
            {
                sections[i + 1] = sections[i + 1] with { Text = TrimStart(sections[i + 1].Text) };
            }
        }
    }

    private static string TrimEnd(string text)
    {
        var end = text.Length;
        while (end > 0 && BertCharacterClasses.IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    private static string TrimStart(string text)
    {
        var start = 0;
        while (start < text.Length && BertCharacterClasses.IsWhitespace(text[start]))
        {
            start++;
        }

        return text[start..];
    }
}
