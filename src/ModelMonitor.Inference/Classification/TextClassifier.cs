using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Inference.Tokenization;

namespace ModelMonitor.Inference.Classification;

/// <summary>
/// A sequence classifier: tokenizes texts, runs the ONNX model on padded batches and turns logits
/// into label probabilities. Inputs are bound by name (<c>input_ids</c>, <c>attention_mask</c>,
/// <c>token_type_ids</c>) and element type as the model declares them. Thread-safe; disposing it
/// while calls run lets them finish (see <see cref="OnnxSession"/>).
/// </summary>
public sealed class TextClassifier : IDisposable
{
    private readonly ModelNode[] inputs;
    private readonly int logitsIndex;
    private readonly Microsoft.ML.OnnxRuntime.PrePackedWeightsContainer? weights;

    private TextClassifier(ModelDescriptor descriptor, BertTokenizer tokenizer, OnnxSession session, OnnxSession? soloSession, Microsoft.ML.OnnxRuntime.PrePackedWeightsContainer? weights, int maxSequenceLength, int maxBatchSize)
    {
        Model = descriptor;
        Tokenizer = tokenizer;
        Session = session;
        SoloSession = soloSession;
        this.weights = weights;
        MaxSequenceLength = maxSequenceLength;
        MaxBatchSize = maxBatchSize;
        inputs = [.. session.Inputs];
        foreach (var input in inputs)
        {
            if (input.Name is not ("input_ids" or "attention_mask" or "token_type_ids"))
            {
                throw new ModelFolderException($"Model input '{input.Name}' is not one a text classifier can fill (input_ids, attention_mask, token_type_ids).");
            }

            if (input.ElementType is not (TensorElementType.Int64 or TensorElementType.Int32) || input.Rank != 2)
            {
                throw new ModelFolderException($"Model input {input} must be a rank-2 int64 or int32 tensor.");
            }
        }

        if (!inputs.Any(i => i.Name == "input_ids"))
        {
            throw new ModelFolderException("The model has no 'input_ids' input.");
        }

        logitsIndex = Array.FindIndex([.. session.Outputs], o => o.Name == "logits");
        if (logitsIndex < 0)
        {
            logitsIndex = Array.FindIndex([.. session.Outputs], o => o.ElementType == TensorElementType.Float && o.Rank == 2);
        }

        if (logitsIndex < 0)
        {
            throw new ModelFolderException("The model has no float [batch, labels] output to read logits from.");
        }

        var labelDimension = session.Outputs[logitsIndex].Shape[1];
        if (labelDimension > 0 && labelDimension != descriptor.Labels.Count)
        {
            throw new ModelFolderException($"The model outputs {labelDimension} logits but config.json names {descriptor.Labels.Count} labels.");
        }
    }

    public ModelDescriptor Model { get; }

    public BertTokenizer Tokenizer { get; }

    public OnnxSession Session { get; }

    /// <summary>
    /// The session for a call that runs alone (<see cref="ClassifierSettings.SoloSession"/>), or null.
    /// It shares <see cref="Session"/>'s pre-packed weights.
    /// </summary>
    public OnnxSession? SoloSession { get; }

    /// <summary>Tokens per text, special tokens included, after which content is truncated.</summary>
    public int MaxSequenceLength { get; }

    public int MaxBatchSize { get; }

    /// <summary>Loads the model folder: tokenizer, ONNX session and the model file's sha256.</summary>
    public static TextClassifier Load(ModelFolder folder, ClassifierSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        settings ??= new ClassifierSettings();
        if (settings.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "MaxBatchSize must be at least 1.");
        }

        var tokenizer = TokenizerLoader.FromDirectory(folder.Directory);
        var maxLength = Math.Min(settings.MaxSequenceLength ?? int.MaxValue, tokenizer.ModelMaxLength);
        if (folder.MaxPositionEmbeddings is { } positions)
        {
            maxLength = Math.Min(maxLength, positions);
        }

        if (maxLength < tokenizer.SpecialTokenCount + 1)
        {
            throw new ModelFolderException($"A maximum sequence length of {maxLength} leaves no room for text.");
        }

        var sha256 = HashFile(folder.ModelFile);
        var weights = settings.SoloSession is null ? null : new Microsoft.ML.OnnxRuntime.PrePackedWeightsContainer();
        OnnxSession? session = null;
        OnnxSession? solo = null;
        try
        {
            session = OnnxSession.Load(folder.ModelFile, settings.Session, weights);
            solo = settings.SoloSession is { } soloSettings ? OnnxSession.Load(folder.ModelFile, soloSettings, weights) : null;
            var descriptor = new ModelDescriptor(folder.Name, folder.Version, sha256, folder.Directory, folder.ModelFile, folder.Labels);
            return new TextClassifier(descriptor, tokenizer, session, solo, weights, maxLength, settings.MaxBatchSize);
        }
        catch
        {
            session?.Dispose();
            solo?.Dispose();
            weights?.Dispose();
            throw;
        }
    }

    public TokenizerEncoding Tokenize(string text) => Tokenizer.Encode(text, maxLength: MaxSequenceLength);

    public IReadOnlyList<Classification> Classify(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Classify(texts.Select(Tokenize).ToArray(), cancellationToken);
    }

    /// <summary>
    /// Classifies tokenized texts. Texts are grouped by length into batches of at most
    /// <see cref="MaxBatchSize"/>, which keeps padding small; results come back in input order.
    /// </summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<TokenizerEncoding> encodings, CancellationToken cancellationToken = default) =>
        Classify(encodings, alone: false, cancellationToken);

    /// <summary>
    /// Classifies tokenized texts; <paramref name="alone"/> says no other call runs meanwhile, so the
    /// call may take <see cref="SoloSession"/> (every core) when there is one.
    /// </summary>
    public IReadOnlyList<Classification> Classify(IReadOnlyList<TokenizerEncoding> encodings, bool alone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        var session = alone && SoloSession is { } solo ? solo : Session;
        var results = new Classification[encodings.Count];
        var order = Enumerable.Range(0, encodings.Count).OrderBy(i => encodings[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += MaxBatchSize)
        {
            var chunk = order.AsSpan(start, Math.Min(MaxBatchSize, order.Length - start)).ToArray();
            var batch = new PaddedBatch(chunk.Select(i => encodings[i]).ToArray(), Tokenizer.PadId);
            using var output = session.Run(BindInputs(batch), cancellationToken);
            var logits = output.GetSpan<float>(logitsIndex);
            var labels = logits.Length / batch.BatchSize;
            for (var row = 0; row < chunk.Length; row++)
            {
                var rowLogits = logits.Slice(row * labels, labels);
                var probabilities = Softmax.Compute(rowLogits);
                var best = 0;
                for (var j = 1; j < probabilities.Length; j++)
                {
                    if (probabilities[j] > probabilities[best])
                    {
                        best = j;
                    }
                }

                var encoding = encodings[chunk[row]];
                results[chunk[row]] = new Classification(best, Model.Labels[best], probabilities[best], probabilities, rowLogits.ToArray(), encoding.Length, encoding.Truncated);
            }
        }

        return results;
    }

    /// <summary>Refuses new calls; the sessions (and their shared weights) are released once the running calls are done.</summary>
    public void Dispose()
    {
        Session.Dispose();
        if (SoloSession is { } solo)
        {
            solo.Dispose();
            var shared = weights;
            _ = Task.WhenAll(Session.Released, solo.Released).ContinueWith(_ => shared?.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private TensorInput[] BindInputs(PaddedBatch batch)
    {
        var bound = new TensorInput[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            var data = inputs[i].Name switch
            {
                "input_ids" => batch.InputIds,
                "attention_mask" => batch.AttentionMask,
                _ => batch.TokenTypeIds,
            };
            bound[i] = inputs[i].ElementType == TensorElementType.Int64
                ? TensorInput.Int64(inputs[i].Name, data, batch.BatchSize, batch.SequenceLength)
                : TensorInput.Int32(inputs[i].Name, Array.ConvertAll(data, v => (int)v), batch.BatchSize, batch.SequenceLength);
        }

        return bound;
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
