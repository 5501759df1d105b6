using System.Diagnostics;
using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Native;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// Loads the model when the host starts, before Kestrel accepts requests: validates the folder,
/// creates the ORT session, hashes the model file and runs one warm-up inference. Any failure
/// stops startup with the reason.
/// </summary>
internal sealed class ModelLoader(
    ModelHost host,
    IOptions<ModelOptions> modelOptions,
    IOptions<OnnxRuntimeOptions> runtimeOptions,
    IOptions<BatchingOptions> batchingOptions,
    ILogger<ModelLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var model = modelOptions.Value;
        var runtime = runtimeOptions.Value;
        if (runtime.LibraryPath is { Length: > 0 } library)
        {
            OrtLibraryPath.Set(library);
        }

        OrtLogBridge.Connect(logger);
        var path = ModelPathResolver.Resolve(model.Path);
        var watch = Stopwatch.StartNew();
        var folder = ModelFolder.Open(path);
        var batching = batchingOptions.Value;
        int? workers = batching.Enabled ? batching.Workers : null;
        var threads = runtime.EffectiveIntraOpThreads(workers, Environment.ProcessorCount);
        var classifier = TextClassifier.Load(folder, new ClassifierSettings
        {
            Session = runtime.ToSessionSettings(threads),
            MaxSequenceLength = model.MaxSequenceLength,
            MaxBatchSize = model.MaxBatchSize,
        });
        host.SetLoaded(classifier);
        var loadMs = watch.Elapsed.TotalMilliseconds;
        Log.ModelLoaded(logger, classifier.Model.Name, classifier.Model.Version, classifier.Model.ModelFile, classifier.Model.Sha256, OrtEnvironment.RuntimeVersion, loadMs);
        Log.InferenceThreads(logger, workers ?? 0, threads, Environment.ProcessorCount);
        foreach (var input in classifier.Session.Inputs)
        {
            Log.ModelNode(logger, "input", input);
        }

        foreach (var output in classifier.Session.Outputs)
        {
            Log.ModelNode(logger, "output", output);
        }

        watch.Restart();
        var warmup = classifier.Classify([model.WarmupText], cancellationToken)[0];
        host.MarkReady();
        Log.ModelReady(logger, warmup.Label, watch.Elapsed.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
