using Microsoft.ML.OnnxRuntime;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// An ONNX Runtime inference session (Microsoft.ML.OnnxRuntime's <see cref="InferenceSession"/>)
/// created from a model file. Inputs and outputs are read from the model. <see cref="Run"/> is
/// thread-safe, as ORT's Run is. Disposing while calls run is safe: new calls are refused, and the
/// native session is released once the last running call (and its outputs) is done;
/// <see cref="Abort"/> also asks ORT to stop the running calls.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly SessionLifetime lifetime;
    private readonly CancellationTokenSource aborting = new();
    private readonly HashSet<string> inputNames;
    private readonly string[] outputNames;

    private OnnxSession(string modelPath, InferenceSession session)
    {
        ModelPath = modelPath;
        this.session = session;
        lifetime = new SessionLifetime(() =>
        {
            session.Dispose();
            aborting.Dispose();
        });
        Inputs = [.. session.InputNames.Select(name => ModelNode.From(name, session.InputMetadata[name]))];
        Outputs = [.. session.OutputNames.Select(name => ModelNode.From(name, session.OutputMetadata[name]))];
        inputNames = [.. session.InputNames];
        outputNames = [.. session.OutputNames];
    }

    public string ModelPath { get; }

    public IReadOnlyList<ModelNode> Inputs { get; }

    public IReadOnlyList<ModelNode> Outputs { get; }

    /// <summary>Calls running now (or whose outputs are still held).</summary>
    public int RunningCalls => lifetime.Calls;

    /// <summary>Completes once the native session has been released: after <see cref="Dispose"/> and the last call.</summary>
    public Task Released => lifetime.Released;

    /// <summary>Creates a session; ORT's own message (in an <see cref="OnnxRuntimeException"/>) explains a missing or corrupt file.</summary>
    public static OnnxSession Load(string modelPath, OnnxSessionSettings? settings = null) => Load(modelPath, settings, weights: null);

    /// <summary>
    /// Creates a session whose pre-packed weights (ORT's packed MatMul operands, most of a
    /// transformer's weights) live in <paramref name="weights"/>, shared with every other session of
    /// the same model made with the same container. The container must outlive the sessions.
    /// </summary>
    internal static OnnxSession Load(string modelPath, OnnxSessionSettings? settings, PrePackedWeightsContainer? weights)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        settings ??= new OnnxSessionSettings();
        OnnxRuntimeEnvironment.GetOrCreate(settings.LogSeverity, settings.SharedThreadPool ? new SharedPoolRequest(settings.IntraOpThreads, settings.AllowSpinning) : null);
        using var options = CreateOptions(settings);
        var fullPath = Path.GetFullPath(modelPath);
        var session = weights is null ? new InferenceSession(fullPath, options) : new InferenceSession(fullPath, options, weights);
        try
        {
            return new OnnxSession(modelPath, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model. Inputs are pinned and passed to ORT without copying; outputs are allocated
    /// by ORT and owned by the returned result. Cancellation asks ORT to terminate the run
    /// (<see cref="RunOptions.Terminate"/>) and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The session has been disposed.</exception>
    /// <exception cref="OnnxRuntimeException">ORT failed the run; the message is ORT's.</exception>
    public OnnxRunResult Run(IReadOnlyList<TensorInput> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            if (!inputNames.Contains(input.Name))
            {
                throw new ArgumentException($"The model has no input named '{input.Name}'. Inputs: {string.Join(", ", Inputs.Select(n => n.Name))}.", nameof(inputs));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!lifetime.TryEnter())
        {
            throw new ObjectDisposedException(nameof(OnnxSession), "The ONNX Runtime session has been disposed (the service is stopping).");
        }

        try
        {
            var outputs = RunEntered(inputs, cancellationToken);
            return new OnnxRunResult(outputNames, outputs, lifetime);
        }
        catch
        {
            lifetime.Exit();
            throw;
        }
    }

    /// <summary>Refuses new calls; the native session is released when the running ones are done. Returns at once.</summary>
    public void Dispose() => lifetime.Dispose();

    /// <summary>
    /// Disposes the session and asks ORT to stop the calls running now (their <see cref="RunOptions.Terminate"/>):
    /// they fail with <see cref="ObjectDisposedException"/> at ORT's next check, and the native
    /// session is released after them. For a shutdown that cannot wait for the calls to finish.
    /// </summary>
    public void Abort()
    {
        Dispose();
        try
        {
            aborting.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already released: no call was running.
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> RunEntered(IReadOnlyList<TensorInput> inputs, CancellationToken cancellationToken)
    {
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = inputs[i].CreateValue();
            }

            using var runOptions = new RunOptions();
            using var byCaller = cancellationToken.CanBeCanceled ? cancellationToken.Register(Terminate, runOptions) : default;
            using var byAbort = aborting.Token.Register(Terminate, runOptions);
            try
            {
                return session.Run(runOptions, names, values, outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException e) when (aborting.IsCancellationRequested)
            {
                throw new ObjectDisposedException("The ONNX Runtime session was disposed while this call ran, and the call was stopped.", e);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Asks ORT to stop a run at its next check. Registrations are disposed before their run options.</summary>
    private static void Terminate(object? runOptions) => ((RunOptions)runOptions!).Terminate = true;

    private static SessionOptions CreateOptions(OnnxSessionSettings settings)
    {
        var options = new SessionOptions();
        try
        {
            if (settings.SharedThreadPool)
            {
                options.DisablePerSessionThreads();
            }
            else
            {
                options.IntraOpNumThreads = settings.IntraOpThreads;
                options.InterOpNumThreads = settings.InterOpThreads;
            }

            options.GraphOptimizationLevel = settings.OptimizationLevel switch
            {
                GraphOptimization.DisableAll => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            options.ExecutionMode = settings.ExecutionMode == OperatorExecution.Parallel
                ? Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_PARALLEL
                : Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL;
            options.LogSeverityLevel = OnnxRuntimeEnvironment.ToOrt(settings.LogSeverity);
            foreach (var (key, value) in settings.EffectiveConfigEntries())
            {
                options.AddSessionConfigEntry(key, value);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
