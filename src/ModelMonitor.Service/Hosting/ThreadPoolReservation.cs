namespace ModelMonitor.Service.Hosting;

/// <summary>
/// The service blocks some thread-pool threads by design: each batching worker holds one for the
/// whole of its ONNX Runtime call, and the audit writer holds one through every fsync. The pool's
/// minimum is the machine's cores, and it adds threads beyond that only slowly (about one every
/// half second under starvation), so on a small machine those blocked threads leave Kestrel and the
/// request continuations waiting. Raising the minimum by the threads blocked on purpose removes the
/// wait: 1.16x on sst2-tiny with 1 text x 32 clients on 2 cores (docs/batching.md).
/// </summary>
internal static class ThreadPoolReservation
{
    /// <summary>
    /// Makes the pool's minimum worker threads at least the machine's cores plus
    /// <paramref name="blockedThreads"/> (never lowers it, so several hosts in one process do not add
    /// up); returns the minimum now in force.
    /// </summary>
    public static int Reserve(int blockedThreads)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var minimum = Math.Max(workers, Environment.ProcessorCount + Math.Max(0, blockedThreads));
        if (minimum > workers)
        {
            ThreadPool.SetMinThreads(minimum, completionPorts);
        }

        return minimum;
    }
}
