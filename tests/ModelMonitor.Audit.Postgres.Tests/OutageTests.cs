using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Postgres.Tests;

/// <summary>Stops and restarts a cluster of its own, so the other tests' cluster keeps running.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task While_the_database_is_down_appends_fail_and_after_it_returns_they_succeed_without_a_restart()
    {
        using var cluster = new PostgresCluster();
        await using var store = new PostgresStore(cluster.CreateDatabase()).Start();
        await store.Log.AppendAsync([PostgresStore.Entry("before")]);
        Assert.Null(store.Log.CheckWritable());

        cluster.Stop();
        await Assert.ThrowsAsync<AuditWriteException>(() => store.Log.AppendAsync([PostgresStore.Entry("during")]));
        Assert.NotNull(store.Log.CheckWritable());

        cluster.Start();
        Assert.Null(store.Log.CheckWritable());
        await store.Log.AppendAsync([PostgresStore.Entry("after")]);

        var result = store.Source.Verify();
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(2, result.Records);
    }
}
