using System.Collections.Concurrent;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Postgres.Tests;

[Collection(SharedCluster.Name)]
public sealed class PostgresAuditLogTests(ClusterFixture fixture)
{
    private PostgresCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Appends_waiting_together_commit_as_one_group_and_every_record_is_stored()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase(), configure: s => s with { CommitInterval = TimeSpan.FromMilliseconds(100) }).Start();
        var commits = new ConcurrentBag<int>();
        store.Log.Committed += (count, _) => commits.Add(count);

        var appends = Enumerable.Range(0, 200).Select(i => store.Log.AppendAsync([PostgresStore.Entry($"text {i}")])).ToArray();
        var ids = (await Task.WhenAll(appends)).SelectMany(x => x).ToArray();

        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, commits.Sum());
        Assert.True(commits.Count < 20, $"200 appends waiting together took {commits.Count} commits");
        Assert.Equal(200L, PostgresCluster.Scalar<long>(store.ConnectionString, "SELECT count(*) FROM audit_records"));
        Assert.All(ids, id => Assert.NotNull(store.Source.Find(id)));
    }

    [Fact]
    public async Task A_record_is_in_the_table_when_its_append_completes()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase()).Start();

        var ids = await store.Log.AppendAsync([PostgresStore.Entry("committed")]);

        // Read on a connection of its own: only committed rows are visible there.
        Assert.Equal(1L, PostgresCluster.Scalar<long>(store.ConnectionString, $"SELECT count(*) FROM audit_records WHERE id = '{ids[0]}'"));
    }

    [Fact]
    public async Task Each_writer_chains_its_own_records_and_verify_checks_every_chain()
    {
        var database = Cluster.CreateDatabase();
        await using var a = new PostgresStore(database, "replica-a").Start();
        await using var b = new PostgresStore(database, "replica-b").Start();

        for (var i = 0; i < 10; i++)
        {
            await a.Log.AppendAsync([PostgresStore.Entry($"a{i}"), PostgresStore.Entry($"a{i}'")]);
            await b.Log.AppendAsync([PostgresStore.Entry($"b{i}")]);
        }

        var result = a.Source.Verify();
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(2, result.Segments);
        Assert.Equal(30, result.Records);

        // Each record's prev is the hash of the previous record of the same writer.
        foreach (var writer in new[] { "replica-a", "replica-b" })
        {
            var lines = Lines(database, $"SELECT line FROM audit_records WHERE writer = '{writer}' ORDER BY writer_seq");
            var previous = AuditChain.Genesis;
            foreach (var line in lines)
            {
                using var document = JsonDocument.Parse(line);
                Assert.Equal(previous, document.RootElement.GetProperty("prev").GetString());
                previous = document.RootElement.GetProperty("hash").GetString()!;
            }
        }
    }

    [Fact]
    public async Task A_restarted_writer_continues_its_chain_from_the_database()
    {
        var database = Cluster.CreateDatabase();
        await using (var first = new PostgresStore(database, "replica-a").Start())
        {
            await first.Log.AppendAsync([PostgresStore.Entry("before restart")]);
        }

        await using var second = new PostgresStore(database, "replica-a").Start();
        await second.Log.AppendAsync([PostgresStore.Entry("after restart")]);

        var result = second.Source.Verify();
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(1, result.Segments);
        Assert.Equal(2, result.Records);
    }

    [Fact]
    public async Task A_second_live_process_with_the_same_writer_id_is_refused_and_the_chain_stays_whole()
    {
        var database = Cluster.CreateDatabase();
        await using var first = new PostgresStore(database, "same").Start();
        await first.Log.AppendAsync([PostgresStore.Entry("first")]);
        await using var second = new PostgresStore(database, "same").Start();

        var refused = await Assert.ThrowsAsync<AuditWriteException>(() => second.Log.AppendAsync([PostgresStore.Entry("second")]));

        Assert.Contains("Audit:WriterId", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(second.Log.CheckWritable());
        await first.Log.AppendAsync([PostgresStore.Entry("first again")]);
        Assert.True(first.Source.Verify().Ok);
    }

    [Fact]
    public async Task Records_keep_the_file_stores_schema()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var tags = new Dictionary<string, string> { ["env"] = "test" };
        var at = time.GetUtcNow();
        await using var store = new PostgresStore(Cluster.CreateDatabase(), configure: s => s with { Tags = tags }, time: time).Start();
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        try
        {
            await using var file = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Flush, Tags = tags }, time);
            var running = file.RunAsync(CancellationToken.None);
            var fileId = (await file.AppendAsync([PostgresStore.Entry("same", at: at)]))[0];
            await file.DisposeAsync();
            await running;
            var databaseId = (await store.Log.AppendAsync([PostgresStore.Entry("same", at: at)]))[0];

            var fromFile = AuditReader.Find(directory, fileId)!.Json;
            var fromDatabase = store.Source.Find(databaseId)!.Json;

            // Same members in the same order with the same values, but for the id and the chain.
            Assert.Equal(Members(fromFile), Members(fromDatabase));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string[] Members(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Where(p => p.Name is not ("id" or "prev" or "hash"))
            .Select(p => $"{p.Name}={p.Value.GetRawText()}")
            .ToArray();
    }

    private static List<string> Lines(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
