namespace ModelMonitor.Inference.Onnx;

/// <summary>Session options we expose; 0 threads means "let ORT decide" (one per physical core).</summary>
public sealed record OnnxSessionSettings
{
    /// <summary>The configuration entry that turns the spinning of the intra-op threads on ("1") or off ("0").</summary>
    public const string IntraOpSpinningEntry = "session.intra_op.allow_spinning";

    public int IntraOpThreads { get; init; }

    public int InterOpThreads { get; init; }

    public GraphOptimization OptimizationLevel { get; init; } = GraphOptimization.All;

    public OperatorExecution ExecutionMode { get; init; } = OperatorExecution.Sequential;

    public OrtLogSeverity LogSeverity { get; init; } = OrtLogSeverity.Warning;

    /// <summary>
    /// Whether ORT's intra-op threads spin while waiting for work (ORT's default). Spinning wins a
    /// little latency on an idle machine and burns cores a busy server needs for everything else.
    /// Written as <see cref="IntraOpSpinningEntry"/> unless <see cref="ConfigEntries"/> sets it.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>
    /// Run this session's operators on the process's one shared ORT thread pool instead of a pool of
    /// its own (<c>SessionOptions.DisablePerSessionThreads</c>). The shared pool has
    /// <see cref="IntraOpThreads"/> threads (0: the machine's cores), counting each calling thread,
    /// which works too. So a lone call gets every core, and concurrent calls share the cores instead
    /// of each spawning its own threads. The pool can only be made with the process's ORT
    /// environment, so only the process's first session can ask for it; later sessions share it as
    /// it is (<see cref="OnnxRuntimeEnvironment.SharedPoolThreads"/>). Measured on 2 cores with two
    /// concurrent calls (docs/batching.md): a lone distilbert-sized call gains, and calls under load
    /// lose to each call having one thread of its own, so the service does not use it; the
    /// benchmark's search over the runtime's setups does.
    /// </summary>
    public bool SharedThreadPool { get; init; }

    /// <summary>Further session configuration entries (<c>SessionOptions.AddSessionConfigEntry</c>), e.g. "session.inter_op.allow_spinning".</summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>Every configuration entry the session gets: <see cref="ConfigEntries"/>, plus the spinning entry unless they set it.</summary>
    public IReadOnlyDictionary<string, string> EffectiveConfigEntries()
    {
        var entries = new Dictionary<string, string>(ConfigEntries, StringComparer.Ordinal);
        entries.TryAdd(IntraOpSpinningEntry, AllowSpinning ? "1" : "0");
        return entries;
    }
}
