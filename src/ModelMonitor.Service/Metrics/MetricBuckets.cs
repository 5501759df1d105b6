namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Histogram bucket upper bounds (the +Inf bucket is added by the library). One place, so every
/// duration histogram shares the same buckets and dashboards can sum across them.
/// </summary>
internal static class MetricBuckets
{
    /// <summary>Durations in seconds, 0.5 ms to 10 s: an ONNX Runtime call of the small model takes about a millisecond, a fsync'd audit commit a few.</summary>
    public static double[] Seconds => [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Texts per ONNX Runtime call, powers of two up to the largest batch the batcher cuts by default.</summary>
    public static double[] BatchTexts => [1, 2, 4, 8, 16, 32, 64, 128];

    /// <summary>Padded tokens per ONNX Runtime call (texts × longest text), by factors of four.</summary>
    public static double[] BatchTokens => [16, 64, 256, 1024, 4096, 16384, 65536];
}
