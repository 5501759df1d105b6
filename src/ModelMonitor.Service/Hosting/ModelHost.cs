using ModelMonitor.Inference.Classification;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// Holds the loaded classifier; ready once the model is loaded and a warm-up inference has run.
/// When the host stops (<see cref="UnloadAsync"/>, after the server and the batcher) it refuses new
/// calls and lets the running ONNX Runtime calls finish; the native session is released after the
/// last one. If the host's shutdown timeout runs out first, the running calls are stopped through
/// ORT's terminate flag and waited for, so the process never exits under a running call.
/// </summary>
internal sealed class ModelHost(ILogger<ModelHost> logger) : IDisposable
{
    /// <summary>How long stopped calls get to notice ORT's terminate flag (checked between operators).</summary>
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(10);

    private volatile TextClassifier? classifier;
    private volatile bool ready;
    private int unloaded;

    public bool IsReady => ready;

    /// <summary>The classifier; only call after <see cref="IsReady"/>. Once unloaded, its calls throw <see cref="ObjectDisposedException"/>.</summary>
    public TextClassifier Classifier => classifier ?? throw new InvalidOperationException("The model is not loaded yet.");

    internal void SetLoaded(TextClassifier loaded) => classifier = loaded;

    internal void MarkReady() => ready = true;

    /// <summary>
    /// Unloads the model: waits for the running calls until <paramref name="stopping"/> (the host's
    /// shutdown timeout) fires, then stops them and waits for the session's release.
    /// </summary>
    public async Task UnloadAsync(CancellationToken stopping)
    {
        if (Unload() is not { } released)
        {
            return;
        }

        try
        {
            await released.WaitAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var session = Classifier.Session;
            Log.ModelCallsStopped(logger, session.RunningCalls);
            session.Abort();
            try
            {
                await released.WaitAsync(AbortGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                Log.ModelReleaseTimedOut(logger, session.RunningCalls, AbortGrace.TotalSeconds);
                return;
            }
        }

        Log.ModelReleased(logger);
    }

    /// <summary>Refuses new calls; the session is released after the running ones (without waiting here).</summary>
    public void Dispose() => Unload();

    /// <summary>Refuses new calls; returns the task that completes when the native session is released (null: nothing loaded, or already unloaded).</summary>
    private Task? Unload()
    {
        ready = false;
        if (classifier is not { } current || Interlocked.Exchange(ref unloaded, 1) != 0)
        {
            return null;
        }

        var running = current.Session.RunningCalls;
        current.Dispose();
        Log.ModelUnloading(logger, running);
        return current.Session.Released;
    }
}
