using Microsoft.Extensions.Time.Testing;

namespace ModelMonitor.Audit.Tests;

public sealed class AuditReaderTests
{
    [Fact]
    public async Task Pages_newest_first_and_oldest_first_visit_every_match_once()
    {
        await using var audit = new AuditFixture().Start();
        for (var i = 0; i < 25; i++)
        {
            await audit.Log.AppendAsync([AuditFixture.Entry("p" + i, label: i % 2 == 0 ? "POSITIVE" : "NEGATIVE")]);
        }

        await audit.StopAsync();
        foreach (var newestFirst in new[] { true, false })
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var page = AuditReader.Query(audit.Directory, new AuditQuery { Label = "POSITIVE", Limit = 4, Cursor = cursor, NewestFirst = newestFirst });
                seen.AddRange(page.Records.Select(r => r.Id));
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            Assert.Equal(13, seen.Count);
            Assert.Equal(seen.Distinct().Count(), seen.Count);
            Assert.Equal(newestFirst ? seen.OrderDescending(StringComparer.Ordinal) : seen.Order(StringComparer.Ordinal), seen);
        }

        audit.Delete();
    }

    [Fact]
    public async Task Filters_by_kind_request_and_time_and_finds_by_id()
    {
        // The store's clock names the segments' days, so it runs at the records' own times.
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var audit = new AuditFixture(time: clock).Start();
        await audit.Log.AppendAsync([AuditFixture.Entry("early", at: start)]);
        clock.Advance(TimeSpan.FromHours(2));
        var ids = await audit.Log.AppendAsync([AuditFixture.Entry("late", at: start.AddHours(2)), AuditFixture.Entry("bad", kind: "warning", label: null, at: start.AddHours(2))]);
        await audit.StopAsync();

        Assert.Single(AuditReader.Query(audit.Directory, new AuditQuery { Kind = "warning" }).Records);
        Assert.Single(AuditReader.Query(audit.Directory, new AuditQuery { RequestId = "req-late" }).Records);
        Assert.Equal(2, AuditReader.Query(audit.Directory, new AuditQuery { From = start.AddHours(1) }).Records.Count);
        Assert.Single(AuditReader.Query(audit.Directory, new AuditQuery { To = start.AddHours(1) }).Records);
        Assert.Contains("\"late\"", AuditReader.Find(audit.Directory, ids[0])!.Json, StringComparison.Ordinal);
        Assert.Null(AuditReader.Find(audit.Directory, "0000000000000000ffffffffffffffff"));
        Assert.Equal(3, AuditReader.Export(audit.Directory, null, null).Count());
        audit.Delete();
    }

    [Fact]
    public async Task Export_of_some_kinds_returns_exactly_those_whatever_the_records_hold()
    {
        await using var audit = new AuditFixture().Start();
        await audit.Log.AppendAsync([
            AuditFixture.Entry("a plain prediction"),
            AuditFixture.Entry("\"kind\":\"drift_evaluation\" typed by a user"),
            AuditFixture.Entry("one", kind: "drift_evaluation", label: null),
            AuditFixture.Entry("two", kind: "drift_evaluation_extra", label: null),
            AuditFixture.Entry("three", kind: "alert", label: null),
        ]);
        await audit.StopAsync();

        Assert.Equal(["drift_evaluation"], AuditReader.Export(audit.Directory, null, null, ["drift_evaluation"]).Select(r => r.Kind));
        Assert.Equal(["drift_evaluation", "alert"], AuditReader.Export(audit.Directory, null, null, ["alert", "drift_evaluation"]).Select(r => r.Kind));
        Assert.Equal(2, AuditReader.Export(audit.Directory, null, null, ["prediction"]).Count());
        Assert.Empty(AuditReader.Export(audit.Directory, null, null, ["feedback"]));
        audit.Delete();
    }

    [Fact]
    public async Task Find_by_id_finds_every_record_across_many_segments_and_nothing_else()
    {
        await using var audit = new AuditFixture(s => s with { MaxSegmentBytes = 32 * 1024 }).Start();
        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            // Records of very different sizes, so the byte-offset search meets long and short lines.
            ids.AddRange(await audit.Log.AppendAsync(Enumerable.Range(0, 25).Select(j => AuditFixture.Entry(new string('r', (i * 25 + j) % 7 == 0 ? 5000 : 20) + (i * 25 + j))).ToArray()));
        }

        await audit.StopAsync();
        Assert.True(AuditSegments.List(audit.Directory).Count > 10);
        for (var i = 0; i < ids.Count; i++)
        {
            var found = AuditReader.Find(audit.Directory, ids[i]);
            Assert.NotNull(found);
            Assert.Equal(ids[i], found.Id);
            Assert.EndsWith(i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\",\"label\":\"POSITIVE\"", found.Json.Split(",\"prev\"")[0], StringComparison.Ordinal);
        }

        // Ids that sort before, between and after the stored ones, or that no clock could make.
        var absent = new[]
        {
            "00000000000000000000000000000000",
            ids[100][..16] + "0000000000000000",
            ids[^1][..12] + "ffff" + "ffffffffffffffff",
            "ffffffffffff00000000000000000000",
            "ffffffffffffffffffffffffffffffff",
        };
        foreach (var id in absent.Where(a => !ids.Contains(a)))
        {
            Assert.Null(AuditReader.Find(audit.Directory, id));
        }

        foreach (var malformed in new[] { "", "xyz", ids[0].ToUpperInvariant(), ids[0] + "0", "\"id\":\"" })
        {
            Assert.Null(AuditReader.Find(audit.Directory, malformed));
        }

        audit.Delete();
    }

    [Fact]
    public async Task Queries_at_the_ends_of_time_read_without_failing()
    {
        await using var audit = new AuditFixture().Start();
        await audit.Log.AppendAsync([AuditFixture.Entry("now")]);
        await audit.StopAsync();

        Assert.Single(AuditReader.Query(audit.Directory, new AuditQuery { To = DateTimeOffset.MaxValue }).Records);
        Assert.Single(AuditReader.Query(audit.Directory, new AuditQuery { From = DateTimeOffset.MinValue }).Records);
        Assert.Single(AuditReader.Export(audit.Directory, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        audit.Delete();
    }
}
