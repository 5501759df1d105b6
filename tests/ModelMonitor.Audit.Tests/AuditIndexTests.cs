namespace ModelMonitor.Audit.Tests;

public sealed class AuditIndexTests
{
    [Fact]
    public async Task Finds_every_record_while_the_store_grows_including_records_longer_than_a_stride()
    {
        await using var audit = new AuditFixture(s => s with { MaxSegmentBytes = 256 * 1024 }).Start();
        using var index = new AuditIndex(audit.Directory);
        var ids = new List<string>();
        for (var batch = 0; batch < 40; batch++)
        {
            // Some records are longer than the index stride, most are short.
            ids.AddRange(await audit.Log.AppendAsync(Enumerable.Range(0, 20).Select(j => AuditFixture.Entry(new string('t', (batch * 20 + j) % 11 == 0 ? AuditIndex.Stride + 3000 : 40) + (batch * 20 + j))).ToArray()));

            // Look up old and new ids as the store grows: the index extends itself.
            foreach (var id in new[] { ids[0], ids[ids.Count / 2], ids[^1] })
            {
                Assert.Equal(id, index.Find(id)?.Id);
            }
        }

        Assert.True(AuditSegments.List(audit.Directory).Count > 2);
        foreach (var id in ids)
        {
            var found = index.Find(id);
            Assert.NotNull(found);
            Assert.Equal(id, found.Id);
        }

        Assert.Null(index.Find("00000000000000000000000000000000"));
        Assert.Null(index.Find(ids[^1][..12] + "ffffffffffffffffffff"));
        Assert.Null(index.Find("ffffffffffff00000000000000000000"));
        Assert.Null(index.Find("not an id"));
        Assert.True(index.Contains(ids[5], "prediction"));
        Assert.False(index.Contains(ids[5], "feedback"));
        await audit.StopAsync();
        audit.Delete();
    }
}
