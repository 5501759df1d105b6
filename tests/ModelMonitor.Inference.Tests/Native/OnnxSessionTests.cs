using System.Text.Json;
using ModelMonitor.Inference.Native;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Native;

public sealed class OnnxSessionTests
{
    private static string ModelFile => Path.Combine(TestPaths.Sst2TinyModel, "model.onnx");

    [Fact]
    public void Runtime_reports_the_pinned_version()
    {
        Assert.Equal("1.30.0", OrtEnvironment.RuntimeVersion);
    }

    [Fact]
    public void Session_reads_inputs_and_outputs_from_the_model()
    {
        using var session = OnnxSession.Load(ModelFile);

        Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, input =>
        {
            Assert.Equal(OnnxValueKind.Tensor, input.Kind);
            Assert.Equal(TensorElementType.Int64, input.ElementType);
            Assert.Equal(2, input.Rank);
            Assert.All(input.Shape, d => Assert.Equal(-1, d));
            Assert.All(input.SymbolicShape, s => Assert.False(string.IsNullOrEmpty(s)));
        });

        var logits = Assert.Single(session.Outputs);
        Assert.Equal("logits", logits.Name);
        Assert.Equal(TensorElementType.Float, logits.ElementType);
        Assert.Equal(2, logits.Shape[1]);
        Assert.Equal(-1, logits.Shape[0]);
    }

    [Fact]
    public void Logits_match_the_reference_for_every_text_within_1e_4()
    {
        using var session = OnnxSession.Load(ModelFile);
        var cases = ReferenceCases();
        Assert.NotEmpty(cases);
        foreach (var (text, ids, expected) in cases)
        {
            var inputIds = ids.Select(i => (long)i).ToArray();
            var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
            using var result = session.Run([
                TensorInput.Int64("input_ids", inputIds, 1, ids.Length),
                TensorInput.Int64("attention_mask", mask, 1, ids.Length)]);

            Assert.Equal([1L, 2L], result.GetShape(0));
            var logits = result.GetSpan<float>(0).ToArray();
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(logits[j] - expected[j]) <= 1e-4, $"{text}: logit {j} is {logits[j]}, reference {expected[j]}");
            }
        }
    }

    [Fact]
    public void Concurrent_runs_on_one_session_give_the_same_logits()
    {
        using var session = OnnxSession.Load(ModelFile);
        var (_, ids, expected) = ReferenceCases()[0];
        Parallel.For(0, 32, _ =>
        {
            using var result = session.Run([
                TensorInput.Int64("input_ids", ids.Select(i => (long)i).ToArray(), 1, ids.Length),
                TensorInput.Int64("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), 1, ids.Length)]);
            var logits = result.GetSpan<float>(0);
            Assert.True(Math.Abs(logits[0] - expected[0]) <= 1e-4);
        });
    }

    [Fact]
    public void Missing_model_file_throws_an_ort_exception_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid() + ".onnx");
        var error = Assert.Throws<OrtException>(() => OnnxSession.Load(missing));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains(Path.GetFileName(missing), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_file_throws_an_ort_exception_with_orts_message()
    {
        var corrupt = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(corrupt, [.. File.ReadAllBytes(ModelFile).Take(4096), 0xFF, 0x00, 0x13]);
            var error = Assert.Throws<OrtException>(() => OnnxSession.Load(corrupt));
            Assert.NotEqual(OrtErrorCode.Ok, error.Code);
            Assert.False(string.IsNullOrWhiteSpace(error.OrtMessage));
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public void Wrong_input_name_is_rejected_before_reaching_ort()
    {
        using var session = OnnxSession.Load(ModelFile);
        var error = Assert.Throws<ArgumentException>(() => session.Run([TensorInput.Int64("token_ids", [101, 102], 1, 2)]));
        Assert.Contains("input_ids", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_input_surfaces_orts_own_message()
    {
        using var session = OnnxSession.Load(ModelFile);
        var error = Assert.Throws<OrtException>(() => session.Run([TensorInput.Int64("input_ids", [101, 102], 1, 2)]));
        Assert.Contains("attention_mask", error.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_options_are_applied_without_error()
    {
        var settings = new OnnxSessionSettings
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            OptimizationLevel = GraphOptimizationLevel.Basic,
            ExecutionMode = ExecutionMode.Parallel,
        };
        using var session = OnnxSession.Load(ModelFile, settings);
        Assert.Equal(2, session.Inputs.Count);
    }

    [Fact]
    public void Cancelled_token_stops_the_run()
    {
        using var session = OnnxSession.Load(ModelFile);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => session.Run(
            [TensorInput.Int64("input_ids", [101, 102], 1, 2), TensorInput.Int64("attention_mask", [1, 1], 1, 2)],
            cancellation.Token));
    }

    [Fact]
    public void Ort_log_lines_reach_the_managed_sink()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<OrtLogMessage>();
        OrtEnvironment.GetOrCreate();
        OrtEnvironment.LogSink = lines.Enqueue;
        try
        {
            // A session at verbose severity logs its graph transformations through the environment's logger.
            using var session = OnnxSession.Load(ModelFile, new OnnxSessionSettings { LogSeverity = OrtLogSeverity.Verbose });
        }
        finally
        {
            OrtEnvironment.LogSink = null;
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.False(string.IsNullOrEmpty(line.Message)));
    }

    internal static IReadOnlyList<(string Text, int[] Ids, float[] Logits)> ReferenceCases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Sst2TinyModel, "reference.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (
                c.GetProperty("text").GetString()!,
                c.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray()))
            .ToArray();
    }
}

public sealed class OnnxSessionConfigTests
{
    [Fact]
    public void Session_config_entries_are_accepted_and_the_session_still_computes_the_reference()
    {
        var settings = new OnnxSessionSettings
        {
            AllowSpinning = false,
            ConfigEntries = new Dictionary<string, string> { ["session.inter_op.allow_spinning"] = "0" },
        };
        using var session = OnnxSession.Load(Path.Combine(TestPaths.Sst2TinyModel, "model.onnx"), settings);
        var (_, ids, expected) = OnnxSessionTests.ReferenceCases()[1];
        using var result = session.Run([
            TensorInput.Int64("input_ids", ids.Select(i => (long)i).ToArray(), 1, ids.Length),
            TensorInput.Int64("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), 1, ids.Length)]);
        Assert.Equal(expected[0], result.GetSpan<float>(0)[0], 1e-4);
    }

    [Fact]
    public void An_invalid_config_key_is_reported_with_orts_own_message()
    {
        // ORT's AddConfigEntry rejects an empty key with this message: it proves slot 130 really is AddSessionConfigEntry.
        var settings = new OnnxSessionSettings { ConfigEntries = new Dictionary<string, string> { [""] = "1" } };
        var error = Assert.Throws<OrtException>(() => OnnxSession.Load(Path.Combine(TestPaths.Sst2TinyModel, "model.onnx"), settings));
        Assert.Contains("Config key", error.OrtMessage, StringComparison.Ordinal);
    }
}
