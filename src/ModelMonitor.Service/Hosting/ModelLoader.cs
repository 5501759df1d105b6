using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// Loads the model when the host starts, before Kestrel accepts requests: validates the folder,
/// creates the ORT session, hashes the model file and runs one warm-up inference. Any failure
/// stops startup with the reason. The startup log says which ONNX Runtime and settings were chosen.
/// </summary>
internal sealed class ModelLoader(
    ModelHost host,
    IOptions<ModelOptions> modelOptions,
    IOptions<OnnxRuntimeOptions> runtimeOptions,
    IOptions<BatchingOptions> batchingOptions,
    IOptions<AuditOptions> auditOptions,
    ILogger<ModelLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var model = modelOptions.Value;
        var runtime = runtimeOptions.Value;
        if (runtime.LibraryPath is { Length: > 0 } libraryPath)
        {
            OnnxRuntimeLibrary.UseFile(libraryPath);
        }

        OrtLogBridge.Connect(logger);
        var path = ModelPathResolver.Resolve(model.Path);
        var watch = Stopwatch.StartNew();
        var folder = ModelFolder.Open(path);
        var batching = batchingOptions.Value;
        int? workers = batching.Enabled ? batching.Workers : null;
        var threads = runtime.EffectiveIntraOpThreads(workers, Environment.ProcessorCount);
        var session = runtime.ToSessionSettings(threads);
        var soloThreads = Math.Max(threads, Environment.ProcessorCount);
        // A solo call runs alone, so its threads spin between operators as ORT's do by default.
        var solo = batching.Enabled && batching.SoloCalls && soloThreads > threads ? runtime.ToSessionSettings(soloThreads) with { AllowSpinning = true } : null;
        var classifier = TextClassifier.Load(folder, new ClassifierSettings
        {
            Session = session,
            SoloSession = solo,
            MaxSequenceLength = model.MaxSequenceLength,
            MaxBatchSize = model.MaxBatchSize,
        });
        host.SetLoaded(classifier);
        var loadMs = watch.Elapsed.TotalMilliseconds;
        var runtimeVersion = OnnxRuntimeEnvironment.RuntimeVersion;
        Log.ModelLoaded(logger, classifier.Model.Name, classifier.Model.Version, classifier.Model.ModelFile, classifier.Model.Sha256, runtimeVersion, loadMs);
        Log.InferenceThreads(logger, workers ?? 0, threads, Environment.ProcessorCount);
        var latencyMode = GCSettings.LatencyMode.ToString(); // a string, so the text log shows it unquoted
        var gen0Budget = Gen0BudgetText(); // once, at startup
        Log.GarbageCollector(logger, RuntimeInformation.FrameworkDescription, GCSettings.IsServerGC ? "Server" : "Workstation", latencyMode, gen0Budget);
        var blocked = (workers ?? 0) + (auditOptions.Value.Enabled ? 1 : 0);
        var poolMinimum = ThreadPoolReservation.Reserve(blocked);
        Log.ThreadPoolMinimum(logger, poolMinimum, blocked);
        if (solo is not null)
        {
            Log.SoloSession(logger, solo.IntraOpThreads);
        }

        var library = OnnxRuntimeLibrary.ConfiguredPath ?? "native library of the Microsoft.ML.OnnxRuntime package";
        var entries = string.Join(", ", session.EffectiveConfigEntries().OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}={e.Value}")));
        var (execution, optimization) = (session.ExecutionMode.ToString(), session.OptimizationLevel.ToString());
        Log.OnnxRuntimeSession(logger, runtimeVersion, library, session.IntraOpThreads, session.InterOpThreads, execution, optimization, entries);
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

    /// <summary>
    /// Unloads the model. Hosted services stop in reverse order, so this runs after the server and
    /// the batcher have stopped, while the rest of the host (logging, DI) still works.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => host.UnloadAsync(cancellationToken);

    /// <summary>The gen0 budget cap the GC reports it runs with (the csproj sets one; docs/inference.md#memory).</summary>
    private static string Gen0BudgetText() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && Convert.ToInt64(value, CultureInfo.InvariantCulture) is > 0 and var bytes
            ? string.Create(CultureInfo.InvariantCulture, $"at most {bytes / 1048576.0:0.#} MiB")
            : "the GC's own";
}
