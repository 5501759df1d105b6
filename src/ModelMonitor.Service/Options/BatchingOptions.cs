namespace ModelMonitor.Service.Options;

/// <summary>How waiting texts are cut into ONNX Runtime calls.</summary>
public enum CutPolicy
{
    /// <summary>
    /// Minimise the estimated time: each call costs a fixed overhead plus its padded tokens, both
    /// learned from the calls already made. Until enough calls were seen, <see cref="PaddingRatio"/>.
    /// </summary>
    CostModel,

    /// <summary>Grow a call while its padded tokens stay within <see cref="BatchingOptions.MaxPaddingRatio"/> of its real tokens.</summary>
    PaddingRatio,
}

/// <summary>Dynamic batching of concurrent requests (section <c>Batching</c>).</summary>
public sealed class BatchingOptions
{
    public const string Section = "Batching";

    /// <summary>Off: each request runs its own inference on its own thread.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// ONNX Runtime calls that run at once, each on its own worker. Concurrent calls share the
    /// session's intra-op threads (<c>OnnxRuntime:IntraOpThreads</c>): a lone call uses them all,
    /// and under load two calls keep the cores busy through the parts of a call that one thread
    /// runs alone (small operators, the hand-offs between them) and through the work around it.
    /// </summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// Off by default. On: a call that starts while no other call runs and nothing else waits runs
    /// on a second session of the model with every core (and spinning threads), instead of its
    /// share of the cores, so a lone request is not held to one core by the split that suits load.
    /// Only when the split gives a call fewer threads than the machine has cores. The price is a
    /// second copy of the model in memory: measured on 2 cores (docs/batching.md), a lone
    /// distilbert-sized request is served 1.25x faster, and peak memory grows by the model's
    /// weights and a second arena (559 to 1,010 MB).
    /// </summary>
    public bool SoloCalls { get; set; }

    /// <summary>Most texts in one ONNX Runtime call.</summary>
    public int MaxBatchTexts { get; set; } = 64;

    /// <summary>Most padded tokens (texts × longest text) in one call.</summary>
    public int MaxBatchTokens { get; set; } = 16_384;

    /// <summary>
    /// Longest the batcher waits for companions after the first request arrives. 0 (default): no
    /// wait; under load, requests pile up while the model is busy and form batches by themselves.
    /// </summary>
    public double MaxWaitMs { get; set; }

    /// <summary>
    /// A call grows only while its padded tokens (texts × longest) stay within this multiple of its
    /// real tokens, so texts of very different lengths go to separate calls instead of padding.
    /// </summary>
    public double MaxPaddingRatio { get; set; } = 1.5;

    /// <summary>How texts are cut into calls: <c>CostModel</c> (default) or <c>PaddingRatio</c>.</summary>
    public CutPolicy CutPolicy { get; set; } = CutPolicy.CostModel;

    /// <summary>Texts waiting for inference before new requests get 429.</summary>
    public int MaxQueuedTexts { get; set; } = 2048;

    /// <summary>A request still queued after this long is answered 503 instead of being run.</summary>
    public int RequestTimeoutMs { get; set; } = 10_000;

    /// <summary>Add a Server-Timing header with the tokenize, queue and inference stages.</summary>
    public bool TimingHeaders { get; set; }
}
