namespace ModelMonitor.Monitoring.Reference;

/// <summary>How to treat a reference whose texts are mostly sub-phrases of its other texts.</summary>
public enum SubphraseHandling
{
    /// <summary>Keep only the maximal texts when most texts are sub-phrases of others (a phrase bank); otherwise keep all.</summary>
    Auto,

    /// <summary>Always keep every text.</summary>
    Keep,

    /// <summary>Always keep only the maximal texts.</summary>
    Drop,
}

/// <summary>What the sub-phrase pass found and kept.</summary>
public sealed record PhraseBankSummary(int Texts, int Subphrases, int Kept, bool Dropped);

/// <summary>
/// Finds phrase banks: datasets annotated per parse-tree node, such as GLUE SST-2 train, where most
/// rows are word-contiguous sub-phrases of another row. Such a file is not a sample of the texts a
/// model is sent; its maximal rows (the full sentences) are. In SST-2 train, 60,464 of 67,349 rows
/// are sub-phrases; the 6,885 maximal rows match SST-2 dev in length (KS p = 0.50) where the whole
/// file does not (KS p ≈ 1e-185).
/// </summary>
public static class PhraseBank
{
    /// <summary>Above this share of sub-phrases, <see cref="SubphraseHandling.Auto"/> treats the file as a phrase bank.</summary>
    public const double AutoThreshold = 0.5;

    public static (IReadOnlyList<ReferenceText> Texts, PhraseBankSummary Summary) Apply(IReadOnlyList<ReferenceText> texts, SubphraseHandling handling)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (handling == SubphraseHandling.Keep)
        {
            return (texts, new PhraseBankSummary(texts.Count, 0, texts.Count, false));
        }

        var contained = Subphrases(texts);
        var subphraseRows = texts.Count(t => contained.Contains(t.Text));
        var drop = handling == SubphraseHandling.Drop || (double)subphraseRows / texts.Count > AutoThreshold;
        if (!drop)
        {
            return (texts, new PhraseBankSummary(texts.Count, subphraseRows, texts.Count, false));
        }

        var kept = texts.Where(t => !contained.Contains(t.Text)).ToArray();
        return (kept, new PhraseBankSummary(texts.Count, subphraseRows, kept.Length, true));
    }

    /// <summary>The distinct texts that occur as a shorter, word-aligned span of another text.</summary>
    internal static HashSet<string> Subphrases(IReadOnlyList<ReferenceText> texts)
    {
        var all = new HashSet<string>(texts.Select(t => t.Text), StringComparer.Ordinal);
        var lookup = all.GetAlternateLookup<ReadOnlySpan<char>>();
        var contained = new HashSet<string>(StringComparer.Ordinal);
        var starts = new List<int>();
        foreach (var text in all)
        {
            // Word boundaries: a span starts after a space and ends before one.
            starts.Clear();
            starts.Add(0);
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == ' ')
                {
                    starts.Add(i + 1);
                }
            }

            for (var s = 0; s < starts.Count; s++)
            {
                for (var e = s; e < starts.Count; e++)
                {
                    var end = e + 1 < starts.Count ? starts[e + 1] - 1 : text.Length;
                    var length = end - starts[s];
                    if (length <= 0 || length == text.Length)
                    {
                        continue;
                    }

                    if (lookup.TryGetValue(text.AsSpan(starts[s], length), out var found))
                    {
                        contained.Add(found);
                    }
                }
            }
        }

        return contained;
    }
}
