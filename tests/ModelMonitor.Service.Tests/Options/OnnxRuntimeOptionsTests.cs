using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Tests.Options;

public sealed class OnnxRuntimeOptionsTests
{
    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(2, 16, 8)]
    [InlineData(3, 16, 5)]
    [InlineData(4, 2, 1)]
    [InlineData(1, 8, 8)]
    public void Automatic_intra_op_threads_share_the_processors_among_the_concurrent_calls(int workers, int processors, int expected) =>
        Assert.Equal(expected, new OnnxRuntimeOptions().EffectiveIntraOpThreads(workers, processors));

    [Fact]
    public void Configured_intra_op_threads_are_used_as_given() =>
        Assert.Equal(3, new OnnxRuntimeOptions { IntraOpThreads = 3 }.EffectiveIntraOpThreads(2, 16));

    [Fact]
    public void With_batching_off_automatic_threads_are_left_to_onnx_runtime() =>
        Assert.Equal(0, new OnnxRuntimeOptions().EffectiveIntraOpThreads(null, 16));
}
