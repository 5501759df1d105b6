namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// One text's token ids, with the special tokens of the post-processing template.
/// <see cref="Truncated"/> says whether content tokens were dropped to fit the maximum length;
/// <see cref="UntruncatedLength"/> is the length the text would have had without truncation.
/// </summary>
public sealed record TokenizerEncoding(int[] Ids, bool Truncated, int UntruncatedLength)
{
    public int Length => Ids.Length;
}
