using ModelMonitor.Service.Hosting;

namespace ModelMonitor.Service.Tests.Hosting;

public sealed class ThreadPoolReservationTests
{
    [Fact]
    public void The_pool_minimum_covers_the_cores_plus_the_threads_held_by_design_and_is_never_lowered()
    {
        var raised = ThreadPoolReservation.Reserve(3);
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(raised >= Environment.ProcessorCount + 3, $"{raised} < cores + 3");
        Assert.Equal(raised, workers);

        // A second host in the same process asking for less leaves the minimum where it is.
        Assert.Equal(raised, ThreadPoolReservation.Reserve(0));
        ThreadPool.GetMinThreads(out var after, out _);
        Assert.Equal(workers, after);
    }
}
