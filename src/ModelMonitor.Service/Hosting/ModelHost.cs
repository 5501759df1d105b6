using ModelMonitor.Inference.Classification;

namespace ModelMonitor.Service.Hosting;

/// <summary>Holds the loaded classifier; ready once the model is loaded and a warm-up inference has run.</summary>
internal sealed class ModelHost : IDisposable
{
    private volatile TextClassifier? classifier;
    private volatile bool ready;

    public bool IsReady => ready;

    /// <summary>The classifier; only call after <see cref="IsReady"/>.</summary>
    public TextClassifier Classifier => classifier ?? throw new InvalidOperationException("The model is not loaded yet.");

    internal void SetLoaded(TextClassifier loaded) => classifier = loaded;

    internal void MarkReady() => ready = true;

    public void Dispose()
    {
        ready = false;
        classifier?.Dispose();
    }
}
