using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Onnx;

public sealed class OnnxSessionTests
{
    internal static string ModelFile => Path.Combine(TestPaths.Sst2TinyModel, "model.onnx");

    [Fact]
    public void Runtime_reports_the_version_pinned_in_the_package_props()
    {
        Assert.Equal(PinnedOnnxRuntime.Version, OnnxRuntimeEnvironment.RuntimeVersion);
    }

    [Fact]
    public void Session_reads_inputs_and_outputs_from_the_model()
    {
        using var session = OnnxSession.Load(ModelFile);

        Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, input =>
        {
            Assert.Equal(OnnxValueType.ONNX_TYPE_TENSOR, input.Kind);
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
        Assert.Matches(@"^logits: Float\[\w+, 2\]$", logits.ToString());
    }

    [Fact]
    public void Logits_match_the_reference_for_every_text_within_1e_4()
    {
        using var session = OnnxSession.Load(ModelFile);
        var cases = ReferenceCases();
        Assert.NotEmpty(cases);
        foreach (var (text, ids, expected) in cases)
        {
            using var result = session.Run(Inputs(ids));

            Assert.Equal([1L, 2L], result.GetShape(0));
            Assert.Equal(TensorElementType.Float, result.GetElementType(0));
            var logits = result.GetSpan<float>(0).ToArray();
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(logits[j] - expected[j]) <= 1e-4, $"{text}: logit {j} is {logits[j]}, reference {expected[j]}");
            }
        }
    }

    [Fact]
    public void Inputs_over_the_start_of_a_longer_pooled_buffer_use_only_the_shape()
    {
        using var session = OnnxSession.Load(ModelFile);
        var (_, ids, expected) = ReferenceCases()[0];
        var pooled = System.Buffers.ArrayPool<long>.Shared.Rent(ids.Length + 100);
        var mask = System.Buffers.ArrayPool<long>.Shared.Rent(ids.Length + 100);
        try
        {
            Array.Fill(pooled, 999);
            Array.Fill(mask, 0);
            ids.Select(i => (long)i).ToArray().CopyTo(pooled, 0);
            Array.Fill(mask, 1, 0, ids.Length);
            using var result = session.Run([
                TensorInput.Int64("input_ids", pooled, 1, ids.Length),
                TensorInput.Int64("attention_mask", mask, 1, ids.Length)]);
            Assert.Equal(expected[0], result.GetSpan<float>(0)[0], 1e-4);
        }
        finally
        {
            System.Buffers.ArrayPool<long>.Shared.Return(pooled);
            System.Buffers.ArrayPool<long>.Shared.Return(mask);
        }
    }

    [Fact]
    public void A_shape_larger_than_its_buffer_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorInput.Int64("input_ids", new long[3], 1, 4));
        Assert.Contains("does not fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_runs_on_one_session_give_the_same_logits()
    {
        using var session = OnnxSession.Load(ModelFile);
        var (_, ids, expected) = ReferenceCases()[0];
        Parallel.For(0, 32, _ =>
        {
            using var result = session.Run(Inputs(ids));
            var logits = result.GetSpan<float>(0);
            Assert.True(Math.Abs(logits[0] - expected[0]) <= 1e-4);
        });
        Assert.Equal(0, session.RunningCalls);
    }

    [Fact]
    public void Missing_model_file_throws_orts_no_such_file_error_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid() + ".onnx");
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(missing));
        Assert.StartsWith("[ErrorCode:NoSuchFile]", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(missing), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_model_file_throws_an_onnx_runtime_exception_with_orts_message()
    {
        var corrupt = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(corrupt, [.. File.ReadAllBytes(ModelFile).Take(4096), 0xFF, 0x00, 0x13]);
            var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(corrupt));
            Assert.Matches(@"^\[ErrorCode:\w+\] .+", error.Message);
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
        var error = Assert.Throws<ArgumentException>(() => session.Run([TensorInput.Int64("token_ids", new long[] { 101, 102 }, 1, 2)]));
        Assert.Contains("input_ids", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, session.RunningCalls);
    }

    [Fact]
    public void Missing_required_input_surfaces_orts_own_message()
    {
        using var session = OnnxSession.Load(ModelFile);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run([TensorInput.Int64("input_ids", new long[] { 101, 102 }, 1, 2)]));
        Assert.Contains("attention_mask", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, session.RunningCalls);
    }

    [Fact]
    public void Session_options_are_applied_without_error()
    {
        var settings = new OnnxSessionSettings
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            OptimizationLevel = GraphOptimization.Basic,
            ExecutionMode = OperatorExecution.Parallel,
        };
        using var session = OnnxSession.Load(ModelFile, settings);
        var (_, ids, expected) = ReferenceCases()[0];
        using var result = session.Run(Inputs(ids));
        Assert.Equal(expected[0], result.GetSpan<float>(0)[0], 1e-4);
    }

    [Fact]
    public void Cancelled_token_stops_the_run()
    {
        using var session = OnnxSession.Load(ModelFile);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => session.Run(Inputs([101, 102]), cancellation.Token));
        Assert.Equal(0, session.RunningCalls);
    }

    [Fact]
    public async Task Cancelling_a_running_call_terminates_it_through_its_run_options()
    {
        using var session = OnnxSession.Load(ModelFile, new OnnxSessionSettings { IntraOpThreads = 1 });
        using var cancellation = new CancellationTokenSource();
        var (ids, mask) = LongBatch(rows: 512, length: 512);
        var run = Task.Run(() =>
        {
            using var result = session.Run([TensorInput.Int64("input_ids", ids, 512, 512), TensorInput.Int64("attention_mask", mask, 512, 512)], cancellation.Token);
        });

        // Cancel once the call is running (512 texts of 512 tokens take seconds even for the tiny model, so it cannot finish first).
        await WaitUntilAsync(() => session.RunningCalls == 1 || run.IsCompleted, TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await WaitUntilAsync(() => session.RunningCalls == 0, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Ort_log_lines_reach_the_managed_sink()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<OrtLogMessage>();
        _ = OnnxRuntimeEnvironment.RuntimeVersion;
        Assert.True(OnnxRuntimeEnvironment.LogsForwarded);
        OnnxRuntimeEnvironment.LogSink = lines.Enqueue;
        try
        {
            // A session at verbose severity logs its graph transformations through the environment's logger.
            using var session = OnnxSession.Load(ModelFile, new OnnxSessionSettings { LogSeverity = OrtLogSeverity.Verbose });
        }
        finally
        {
            OnnxRuntimeEnvironment.LogSink = null;
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.False(string.IsNullOrEmpty(line.Message)));
        Assert.Contains(lines, line => line.Severity == OrtLogSeverity.Verbose);
    }

    internal static TensorInput[] Inputs(int[] ids) =>
        [TensorInput.Int64("input_ids", ids.Select(i => (long)i).ToArray(), 1, ids.Length),
         TensorInput.Int64("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), 1, ids.Length)];

    /// <summary>A batch of real-looking token ids, long enough that one run takes a while.</summary>
    internal static (long[] Ids, long[] Mask) LongBatch(int rows, int length)
    {
        var reference = ReferenceCases().SelectMany(c => c.Ids).ToArray();
        var ids = new long[rows * length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reference[i % reference.Length];
        }

        return (ids, Enumerable.Repeat(1L, ids.Length).ToArray());
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within {timeout}.");
            await Task.Delay(5);
        }
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
    public void Spinning_is_written_as_the_intra_op_entry_unless_the_entries_set_it()
    {
        Assert.Equal("0", new OnnxSessionSettings { AllowSpinning = false }.EffectiveConfigEntries()[OnnxSessionSettings.IntraOpSpinningEntry]);
        Assert.Equal("1", new OnnxSessionSettings { AllowSpinning = true }.EffectiveConfigEntries()[OnnxSessionSettings.IntraOpSpinningEntry]);
        var overridden = new OnnxSessionSettings
        {
            AllowSpinning = false,
            ConfigEntries = new Dictionary<string, string> { [OnnxSessionSettings.IntraOpSpinningEntry] = "1", ["session.inter_op.allow_spinning"] = "0" },
        };
        Assert.Equal("1", overridden.EffectiveConfigEntries()[OnnxSessionSettings.IntraOpSpinningEntry]);
        Assert.Equal("0", overridden.EffectiveConfigEntries()["session.inter_op.allow_spinning"]);
    }

    [Fact]
    public void Session_config_entries_are_accepted_and_the_session_still_computes_the_reference()
    {
        var settings = new OnnxSessionSettings
        {
            AllowSpinning = false,
            ConfigEntries = new Dictionary<string, string> { ["session.inter_op.allow_spinning"] = "0" },
        };
        using var session = OnnxSession.Load(OnnxSessionTests.ModelFile, settings);
        var (_, ids, expected) = OnnxSessionTests.ReferenceCases()[1];
        using var result = session.Run(OnnxSessionTests.Inputs(ids));
        Assert.Equal(expected[0], result.GetSpan<float>(0)[0], 1e-4);
    }

    [Fact]
    public void An_invalid_config_key_is_reported_with_orts_own_message()
    {
        // ORT's AddConfigEntry rejects an empty key with this message: the entries really reach ORT.
        var settings = new OnnxSessionSettings { ConfigEntries = new Dictionary<string, string> { [""] = "1" } };
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Load(OnnxSessionTests.ModelFile, settings));
        Assert.Contains("Config key", error.Message, StringComparison.Ordinal);
    }
}
