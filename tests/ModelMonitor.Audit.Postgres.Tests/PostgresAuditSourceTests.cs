using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Postgres.Tests;

[Collection(SharedCluster.Name)]
public sealed class PostgresAuditSourceTests(ClusterFixture fixture)
{
    private PostgresCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Query_pages_by_cursor_and_filters_like_the_file_store()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase()).Start();
        for (var i = 0; i < 7; i++)
        {
            await store.Log.AppendAsync([PostgresStore.Entry($"p{i}", label: i % 2 == 0 ? "POSITIVE" : "NEGATIVE")]);
        }

        await store.Log.AppendAsync([PostgresStore.Entry("f", kind: "feedback", label: null)]);

        var first = store.Source.Query(new AuditQuery { Kind = "prediction", Limit = 3 });
        var second = store.Source.Query(new AuditQuery { Kind = "prediction", Limit = 3, Cursor = first.NextCursor });
        var third = store.Source.Query(new AuditQuery { Kind = "prediction", Limit = 3, Cursor = second.NextCursor });
        var ids = first.Records.Concat(second.Records).Concat(third.Records).Select(r => r.Id).ToArray();

        Assert.Equal(7, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids);
        Assert.Null(third.NextCursor);
        Assert.Equal(4, store.Source.Query(new AuditQuery { Label = "POSITIVE" }).Records.Count);
        Assert.Single(store.Source.Query(new AuditQuery { RequestId = "req-p3" }).Records);
    }

    [Fact]
    public async Task Export_reads_records_in_commit_order_across_writers()
    {
        var database = Cluster.CreateDatabase();
        await using var a = new PostgresStore(database, "replica-a").Start();
        await using var b = new PostgresStore(database, "replica-b").Start();
        var written = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            written.AddRange(await b.Log.AppendAsync([PostgresStore.Entry($"b{i}")]));
            written.AddRange(await a.Log.AppendAsync([PostgresStore.Entry($"a{i}")]));
        }

        Assert.Equal(written, a.Source.Export(null, null).Select(r => r.Id));
        Assert.Equal(10, a.Source.ExportLines(null, null, ["prediction"]).Count());
        Assert.Empty(a.Source.Export(null, null, ["feedback"]));
    }

    [Fact]
    public async Task Tailing_after_a_position_returns_only_later_records()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase()).Start();
        await store.Log.AppendAsync([PostgresStore.Entry("old")]);
        var position = store.Source.LastPosition();
        var later = await store.Log.AppendAsync([PostgresStore.Entry("new1"), PostgresStore.Entry("new2")]);

        var tailed = store.Source.TailAfter(position, ["prediction"], 100);

        Assert.Equal(later, tailed.Select(t => t.View.Id));
        Assert.True(tailed[0].Position.IsAfter(position));
        Assert.Empty(store.Source.TailAfter(tailed[^1].Position, ["prediction"], 100));
    }

    [Fact]
    public async Task A_record_of_a_transaction_still_open_holds_the_tail_back_so_that_it_is_not_skipped_when_it_commits()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase()).Start();
        await store.Log.AppendAsync([PostgresStore.Entry("first")]);
        var position = store.Source.LastPosition();

        // A slow writer's transaction starts first and commits last, after a fast writer's record.
        await using var slow = new Npgsql.NpgsqlConnection(store.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO audit_records (id, writer, writer_seq, ts, kind, line) VALUES ('slow', 'slow-writer', 1, now(), 'prediction', '{}')", slow, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var fast = await store.Log.AppendAsync([PostgresStore.Entry("fast")]);
        Assert.Empty(store.Source.TailAfter(position, ["prediction"], 100));

        await transaction.CommitAsync();
        var tailed = store.Source.TailAfter(position, ["prediction"], 100);

        Assert.Equal(["slow", fast[0]], tailed.Select(t => t.View.Id));
    }

    [Fact]
    public async Task Find_and_contains_answer_by_id_and_kind()
    {
        await using var store = new PostgresStore(Cluster.CreateDatabase()).Start();
        var id = (await store.Log.AppendAsync([PostgresStore.Entry("x")]))[0];

        Assert.Equal(id, store.Source.Find(id)!.Id);
        Assert.True(store.Source.Contains(id, "prediction"));
        Assert.False(store.Source.Contains(id, "feedback"));
        Assert.Null(store.Source.Find("not-an-id"));
    }
}
