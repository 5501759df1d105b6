namespace ModelMonitor.Inference.Onnx;

/// <summary>What the first session that uses the shared ORT thread pool asks of it: threads (0: the machine's cores) and spinning.</summary>
internal sealed record SharedPoolRequest(int Threads, bool AllowSpinning);
