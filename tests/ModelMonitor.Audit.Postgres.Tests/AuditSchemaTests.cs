using ModelMonitor.Testing;
using Npgsql;

namespace ModelMonitor.Audit.Postgres.Tests;

[Collection(SharedCluster.Name)]
public sealed class AuditSchemaTests(ClusterFixture fixture)
{
    private PostgresCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Migrating_twice_keeps_the_records_and_the_version()
    {
        var database = Cluster.CreateDatabase();
        await using (var store = new PostgresStore(database).Start())
        {
            await store.Log.AppendAsync([PostgresStore.Entry("kept")]);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await AuditSchema.MigrateAsync(connection);
        await AuditSchema.MigrateAsync(connection);

        Assert.Equal(AuditSchema.Version, await AuditSchema.AppliedVersionAsync(connection));
        Assert.Equal(1L, PostgresCluster.Scalar<long>(database, "SELECT count(*) FROM audit_records"));
    }

    [Fact]
    public async Task Replicas_migrating_at_once_all_succeed()
    {
        var database = Cluster.CreateDatabase();
        await using var before = new NpgsqlConnection(database);
        await before.OpenAsync();
        Assert.Equal(0, await AuditSchema.AppliedVersionAsync(before));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await AuditSchema.MigrateAsync(connection);
        }));

        Assert.Equal(AuditSchema.Version, await AuditSchema.AppliedVersionAsync(before));
    }
}
