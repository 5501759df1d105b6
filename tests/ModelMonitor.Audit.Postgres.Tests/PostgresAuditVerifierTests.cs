using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Postgres.Tests;

[Collection(SharedCluster.Name)]
public sealed class PostgresAuditVerifierTests(ClusterFixture fixture)
{
    private PostgresCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task An_intact_store_verifies()
    {
        await using var store = await FilledAsync();

        var result = store.Source.Verify();

        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(2, result.Segments);
        Assert.Equal(10, result.Records);
    }

    [Fact]
    public async Task An_edited_record_is_found()
    {
        await using var store = await FilledAsync();
        PostgresCluster.Execute(store.ConnectionString, "UPDATE audit_records SET line = replace(line, '\"text\":\"a2\"', '\"text\":\"A2\"') WHERE writer = 'replica-a' AND writer_seq = 3");

        var result = store.Source.Verify();

        Assert.False(result.Ok);
        Assert.Equal("writer replica-a", result.FirstBreak!.Segment);
        Assert.Equal(3, result.FirstBreak.Line);
        Assert.Contains("edited", result.FirstBreak.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_deleted_from_the_middle_is_found()
    {
        await using var store = await FilledAsync();
        PostgresCluster.Execute(store.ConnectionString, "DELETE FROM audit_records WHERE writer = 'replica-b' AND writer_seq = 2");

        var result = store.Source.Verify();

        Assert.False(result.Ok);
        Assert.Equal("writer replica-b", result.FirstBreak!.Segment);
        Assert.Contains("deleted", result.FirstBreak.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_deleted_from_the_end_is_found_through_the_head()
    {
        await using var store = await FilledAsync();
        PostgresCluster.Execute(store.ConnectionString, "DELETE FROM audit_records WHERE writer = 'replica-a' AND writer_seq = 5");

        var result = store.Source.Verify();

        Assert.False(result.Ok);
        Assert.Contains("from the end", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_index_column_is_found()
    {
        await using var store = await FilledAsync();
        PostgresCluster.Execute(store.ConnectionString, "UPDATE audit_records SET kind = 'feedback' WHERE writer = 'replica-b' AND writer_seq = 1");

        var result = store.Source.Verify();

        Assert.False(result.Ok);
        Assert.Contains("column", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_moved_to_another_chain_is_found()
    {
        await using var store = await FilledAsync();
        PostgresCluster.Execute(store.ConnectionString, "UPDATE audit_records SET writer = 'replica-b', writer_seq = 6 WHERE writer = 'replica-a' AND writer_seq = 5");

        var result = store.Source.Verify();

        Assert.False(result.Ok);
    }

    /// <summary>Two writers, five records each: replica-a's texts a0…a4, replica-b's b0…b4.</summary>
    private async Task<PostgresStore> FilledAsync()
    {
        var database = Cluster.CreateDatabase();
        var store = new PostgresStore(database, "replica-a").Start();
        await using var other = new PostgresStore(database, "replica-b").Start();
        for (var i = 0; i < 5; i++)
        {
            await store.Log.AppendAsync([PostgresStore.Entry($"a{i}")]);
            await other.Log.AppendAsync([PostgresStore.Entry($"b{i}")]);
        }

        return store;
    }
}
