using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace ModelMonitor.Audit.Tests;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Appended_records_come_back_with_ids_and_verify()
    {
        await using var audit = new AuditFixture(s => s with { Tags = new Dictionary<string, string> { ["environment"] = "test" } }).Start();
        var ids = await audit.Log.AppendAsync([AuditFixture.Entry("a"), AuditFixture.Entry("b")]);
        Assert.Equal(2, ids.Count);
        Assert.True(string.CompareOrdinal(ids[0], ids[1]) < 0, "ids increase in write order");
        await audit.StopAsync();

        var lines = audit.Lines();
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, first.RootElement.GetProperty("v").GetInt32());
        Assert.Equal(ids[0], first.RootElement.GetProperty("id").GetString());
        Assert.Equal("test", first.RootElement.GetProperty("tags").GetProperty("environment").GetString());
        Assert.Equal(AuditChain.Genesis, first.RootElement.GetProperty("prev").GetString());

        var result = AuditVerifier.Verify(audit.Directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(2, result.Records);
        audit.Delete();
    }

    [Fact]
    public async Task Ten_thousand_concurrent_appends_each_appear_exactly_once()
    {
        await using var audit = new AuditFixture().Start();
        var tasks = Enumerable.Range(0, 10_000).Select(i => Task.Run(() => audit.Log.AppendAsync([AuditFixture.Entry("t" + i)]))).ToArray();
        var ids = (await Task.WhenAll(tasks)).SelectMany(x => x).ToArray();
        await audit.StopAsync();

        Assert.Equal(10_000, ids.Distinct().Count());
        var texts = audit.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()).ToArray();
        Assert.Equal(10_000, texts.Length);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => "t" + i).Order(), texts.Order());
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        audit.Delete();
    }

    [Fact]
    public async Task Chain_continues_across_restarts()
    {
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        string[] firstIds;
        await using (var first = new AuditFixture(directory: directory).Start())
        {
            firstIds = [.. await first.Log.AppendAsync([AuditFixture.Entry("one")])];
        }

        await using (var second = new AuditFixture(directory: directory).Start())
        {
            var secondIds = await second.Log.AppendAsync([AuditFixture.Entry("two")]);
            Assert.True(string.CompareOrdinal(firstIds[0], secondIds[0]) < 0);
        }

        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(2, result.Records);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Torn_last_line_from_a_crash_is_quarantined_and_everything_acknowledged_survives()
    {
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        await using (var before = new AuditFixture(directory: directory).Start())
        {
            await before.Log.AppendAsync([AuditFixture.Entry("kept-1"), AuditFixture.Entry("kept-2")]);
        }

        // A kill mid-write: half a record, no newline.
        var segment = AuditSegments.List(directory)[^1];
        File.AppendAllText(segment, "{\"v\":1,\"id\":\"01a2\",\"ts\":\"2026-", Encoding.UTF8);

        await using (var after = new AuditFixture(directory: directory).Start())
        {
            await after.Log.AppendAsync([AuditFixture.Entry("after")]);
            Assert.Contains(after.Notices, n => n.Level == AuditNoticeLevel.Warning && n.Message.Contains("torn", StringComparison.Ordinal));
        }

        var quarantined = Directory.GetFiles(Path.Combine(directory, AuditSegments.QuarantineDirectory));
        Assert.Equal("{\"v\":1,\"id\":\"01a2\",\"ts\":\"2026-", File.ReadAllText(Assert.Single(quarantined)));
        var records = AuditSegments.List(directory).SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["kept-1", "kept-2", null, "after"], records.Select(r => r.TryGetProperty("text", out var t) ? t.GetString() : null));
        Assert.Equal("recovery", records[2].GetProperty("kind").GetString());
        Assert.Equal("torn_tail", records[2].GetProperty("repair").GetString());
        Assert.Equal(30, records[2].GetProperty("bytes_lost").GetInt64());
        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal("torn_tail", Assert.Single(result.Losses).Repair);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Segments_rotate_by_size_and_keep_lexical_order_as_time_order()
    {
        await using var audit = new AuditFixture(s => s with { MaxSegmentBytes = 600 }).Start();
        for (var i = 0; i < 12; i++)
        {
            await audit.Log.AppendAsync([AuditFixture.Entry("record-" + i)]);
        }

        await audit.StopAsync();
        var segments = AuditSegments.List(audit.Directory);
        Assert.True(segments.Count >= 4, $"{segments.Count} segments");
        var texts = segments.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => "record-" + i), texts);
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        audit.Delete();
    }

    [Fact]
    public async Task Segments_rotate_at_utc_midnight()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero));
        await using var audit = new AuditFixture(time: clock).Start();
        await audit.Log.AppendAsync([AuditFixture.Entry("late")]);
        clock.Advance(TimeSpan.FromSeconds(2));
        await audit.Log.AppendAsync([AuditFixture.Entry("early")]);
        await audit.StopAsync();
        Assert.Equal(["audit-20261121-00000001.jsonl", "audit-20261122-00000002.jsonl"], AuditSegments.List(audit.Directory).Select(Path.GetFileName));
        audit.Delete();
    }

    [Fact]
    public async Task Retention_deletes_only_expired_segments_and_records_the_anchor_so_verify_still_passes()
    {
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        foreach (var day in new[] { 0, 1, 5, 9 })
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).AddDays(day));
            await using var writer = new AuditFixture(directory: directory, time: clock).Start();
            await writer.Log.AppendAsync([AuditFixture.Entry("day-" + day)]);
        }

        Assert.Equal(4, AuditSegments.List(directory).Count);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero));
        await using (var retained = new AuditFixture(s => s with { RetentionDays = 7 }, clock, directory).Start())
        {
            await retained.Log.AppendAsync([AuditFixture.Entry("today")]);
        }

        // Days 0 and 1 (Nov 1 and 2) are older than Nov 3; days 5 and 9 stay.
        Assert.Equal(["audit-20261106-00000003.jsonl", "audit-20261110-00000004.jsonl"], AuditSegments.List(directory).Select(Path.GetFileName));
        var lines = AuditSegments.List(directory).SelectMany(File.ReadAllLines).ToArray();
        Assert.Contains(lines, l => l.Contains("\"kind\":\"retention\"", StringComparison.Ordinal));
        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_disk_that_fails_mid_write_fails_the_appenders_and_leaves_no_partial_batch()
    {
        var failing = false;
        await using var audit = new AuditFixture(s => s with
        {
            OpenForAppend = path => new FailingStream(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite), () => failing),
        }).Start();
        await audit.Log.AppendAsync([AuditFixture.Entry("good")]);
        failing = true;
        var error = await Assert.ThrowsAsync<AuditWriteException>(() => audit.Log.AppendAsync([AuditFixture.Entry("lost-1"), AuditFixture.Entry("lost-2")]));
        Assert.Contains("No space left", error.Message, StringComparison.Ordinal);
        failing = false;
        await audit.Log.AppendAsync([AuditFixture.Entry("recovered")]);
        await audit.StopAsync();

        var texts = audit.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString());
        Assert.Equal(["good", "recovered"], texts);
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        audit.Delete();
    }

    [Fact]
    public async Task An_unusable_directory_fails_appends_with_a_clear_error()
    {
        await using var audit = new AuditFixture(s => s with { Directory = "/dev/null/audit" }).Start();
        var error = await Assert.ThrowsAsync<AuditWriteException>(() => audit.Log.AppendAsync([AuditFixture.Entry("x")]));
        Assert.Contains("/dev/null/audit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Flush)]
    [InlineData(Durability.None)]
    public async Task Every_durability_mode_stores_every_record_by_shutdown(Durability mode)
    {
        await using var audit = new AuditFixture(s => s with { Durability = mode }).Start();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => audit.Log.AppendAsync([AuditFixture.Entry("m" + i)])));
        await audit.StopAsync();
        Assert.Equal(200, audit.Lines().Length);
        audit.Delete();
    }

    /// <summary>A file stream that reports a full disk on demand, after writing part of the data (as a real disk can).</summary>
    private sealed class FailingStream(FileStream inner, Func<bool> failing) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (failing())
            {
                inner.Write(buffer[..(buffer.Length / 2)]);
                inner.Flush();
                throw new IOException("No space left on device");
            }

            inner.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

public sealed class AuditLogResilienceTests
{
    [Fact]
    public async Task An_entry_that_throws_while_serialising_fails_alone_and_the_writer_keeps_going()
    {
        await using var audit = new AuditFixture().Start();
        var broken = new AuditEntry("prediction", DateTimeOffset.UtcNow, null, _ => throw new ObjectDisposedException("HttpContext"));
        await Assert.ThrowsAsync<AuditWriteException>(() => audit.Log.AppendAsync([broken]));
        var ids = await audit.Log.AppendAsync([AuditFixture.Entry("after")]);
        Assert.Single(ids);
        await audit.StopAsync();
        Assert.Single(audit.Lines());
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        audit.Delete();
    }
}
