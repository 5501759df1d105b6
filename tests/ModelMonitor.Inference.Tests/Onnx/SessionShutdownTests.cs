using ModelMonitor.Inference.Onnx;
using Xunit.Abstractions;

namespace ModelMonitor.Inference.Tests.Onnx;

/// <summary>
/// Disposing a session while calls run: the calls finish (or, started after, are refused) and the
/// native session is released after the last of them. Before, disposal freed the native name
/// strings a running call still read.
/// </summary>
public sealed class SessionShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Outputs_held_across_dispose_stay_readable_and_the_session_is_released_after_them()
    {
        var session = OnnxSession.Load(OnnxSessionTests.ModelFile);
        var (_, ids, expected) = OnnxSessionTests.ReferenceCases()[0];
        var result = session.Run(OnnxSessionTests.Inputs(ids));

        session.Dispose();

        Assert.False(session.Released.IsCompleted);
        Assert.Equal(1, session.RunningCalls);
        Assert.Equal(expected[0], result.GetSpan<float>(0)[0], 1e-4);
        result.Dispose();
        await session.Released.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, session.RunningCalls);
    }

    [Fact]
    public async Task Calls_after_dispose_are_refused_and_an_idle_session_is_released_at_once()
    {
        var session = OnnxSession.Load(OnnxSessionTests.ModelFile);
        session.Dispose();
        await session.Released.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Throws<ObjectDisposedException>(() => session.Run(OnnxSessionTests.Inputs([101, 102])));
        session.Dispose(); // twice is harmless
    }

    [Fact]
    public async Task Disposing_while_calls_run_lets_them_finish_and_releases_the_session_after_the_last()
    {
        const int Threads = 4;
        var session = OnnxSession.Load(OnnxSessionTests.ModelFile, new OnnxSessionSettings { IntraOpThreads = 1 });
        var (ids, mask) = OnnxSessionTests.LongBatch(rows: 16, length: 256);
        var expected = RunOnce(session, ids, mask);
        var disposed = 0;
        var finishedAfterDispose = 0;
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                while (true)
                {
                    try
                    {
                        var logits = RunOnce(session, ids, mask);
                        outcomes.Add(logits.SequenceEqual(expected) ? "same logits" : "different logits");
                        if (Volatile.Read(ref disposed) == 1)
                        {
                            Interlocked.Increment(ref finishedAfterDispose);
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        outcomes.Add("refused");
                        return;
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        await OnnxSessionTests.WaitUntilAsync(() => session.RunningCalls == Threads, TimeSpan.FromSeconds(60));
        session.Dispose();
        Volatile.Write(ref disposed, 1);

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await session.Released.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{outcomes.Count(o => o == "same logits")} calls completed, {finishedAfterDispose} of them after Dispose returned");
        Assert.All(outcomes, o => Assert.True(o is "same logits" or "refused", o));
        Assert.Equal(Threads, outcomes.Count(o => o == "refused"));
        Assert.Equal(0, session.RunningCalls);
    }

    private static float[] RunOnce(OnnxSession session, long[] ids, long[] mask)
    {
        var rows = ids.Length / 256;
        using var result = session.Run([TensorInput.Int64("input_ids", ids, rows, 256), TensorInput.Int64("attention_mask", mask, rows, 256)]);
        return result.GetSpan<float>(0).ToArray();
    }
}
