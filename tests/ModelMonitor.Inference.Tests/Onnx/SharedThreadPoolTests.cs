using ModelMonitor.Inference.Onnx;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Onnx;

public sealed class SharedThreadPoolTests
{
    [Fact]
    public void A_session_gets_the_shared_pool_only_from_an_environment_made_with_one_and_says_so_otherwise()
    {
        // ORT makes the shared pool with the process's environment, so which branch runs depends on
        // whether another test made the environment first; both are the documented behaviour.
        var settings = new OnnxSessionSettings { IntraOpThreads = 2, SharedThreadPool = true };
        var modelFile = Path.Combine(TestPaths.Sst2TinyModel, "model.onnx");
        OnnxSession session;
        try
        {
            session = OnnxSession.Load(modelFile, settings);
        }
        catch (InvalidOperationException refused)
        {
            // Another test made the environment first, without a pool.
            Assert.True(Microsoft.ML.OnnxRuntime.OrtEnv.IsCreated);
            Assert.Equal(0, OnnxRuntimeEnvironment.SharedPoolThreads);
            Assert.Contains("without one", refused.Message, StringComparison.Ordinal);
            return;
        }

        using (session)
        {
            Assert.Equal(2, OnnxRuntimeEnvironment.SharedPoolThreads);
            Assert.Contains(session.Inputs, i => i.Name == "input_ids");
        }
    }
}
