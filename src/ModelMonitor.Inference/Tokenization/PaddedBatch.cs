namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// A batch of encodings padded on the right to the longest one, as row-major
/// <c>[BatchSize, SequenceLength]</c> int64 arrays ready to hand to ONNX Runtime.
/// </summary>
public sealed class PaddedBatch
{
    private long[]? tokenTypeIds;

    public PaddedBatch(IReadOnlyList<TokenizerEncoding> encodings, long padId)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        BatchSize = encodings.Count;
        SequenceLength = encodings.Count == 0 ? 0 : encodings.Max(e => e.Length);
        InputIds = new long[BatchSize * SequenceLength];
        AttentionMask = new long[BatchSize * SequenceLength];
        for (var row = 0; row < BatchSize; row++)
        {
            var ids = encodings[row].Ids;
            var offset = row * SequenceLength;
            for (var column = 0; column < SequenceLength; column++)
            {
                var present = column < ids.Length;
                InputIds[offset + column] = present ? ids[column] : padId;
                AttentionMask[offset + column] = present ? 1 : 0;
            }
        }
    }

    public int BatchSize { get; }

    public int SequenceLength { get; }

    public long[] InputIds { get; }

    public long[] AttentionMask { get; }

    /// <summary>All zeros: single-sequence inputs, for models that take <c>token_type_ids</c> (made on first use).</summary>
    public long[] TokenTypeIds => tokenTypeIds ??= new long[BatchSize * SequenceLength];
}
