using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace ModelMonitor.Audit.Tests;

/// <summary>A repair at startup is recorded in the chain, so a loss stays visible after any number of restarts (#15 item 2).</summary>
public sealed class AuditRecoveryTests
{
    [Fact]
    public async Task A_tail_cut_from_a_stopped_store_stays_visible_after_restarts_and_writes()
    {
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        await using (var before = new AuditFixture(directory: directory).Start())
        {
            await before.Log.AppendAsync([AuditFixture.Entry("one"), AuditFixture.Entry("two"), AuditFixture.Entry("three")]);
        }

        var segment = AuditSegments.List(directory)[^1];
        var lines = File.ReadAllLines(segment);
        File.WriteAllLines(segment, lines[..^1]);
        var cutHash = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("hash").GetString();
        Assert.False(AuditVerifier.Verify(directory).Ok);

        for (var restart = 0; restart < 3; restart++)
        {
            await using var after = new AuditFixture(directory: directory).Start();
            await after.Log.AppendAsync([AuditFixture.Entry("after-" + restart)]);
        }

        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        var loss = Assert.Single(result.Losses);
        Assert.Equal("head_ahead", loss.Repair);
        Assert.Equal(1, loss.RecordsLost);
        var recovery = AuditSegments.List(directory).SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("kind").GetString() == "recovery");
        Assert.Equal(cutHash, recovery.GetProperty("last_hash_head_knew").GetString());
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_store_restarted_cleanly_records_no_loss()
    {
        var directory = Directory.CreateTempSubdirectory("mm-audit-").FullName;
        for (var restart = 0; restart < 3; restart++)
        {
            await using var writer = new AuditFixture(directory: directory).Start();
            await writer.Log.AppendAsync([AuditFixture.Entry("r" + restart)]);
        }

        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Empty(result.Losses);
        Assert.Equal(3, result.Records);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_head_that_cannot_be_written_does_not_fail_records_already_committed()
    {
        await using var audit = new AuditFixture().Start();
        await audit.Log.AppendAsync([AuditFixture.Entry("first")]);

        // A directory where the head's temporary file goes: the head write throws from now on.
        Directory.CreateDirectory(Path.Combine(audit.Directory, AuditHead.FileName + ".tmp"));
        var ids = await audit.Log.AppendAsync([AuditFixture.Entry("second"), AuditFixture.Entry("third")]);
        Assert.Equal(2, ids.Count);
        await audit.StopAsync();

        Assert.Equal(3, audit.Lines().Length);
        Assert.Contains(audit.Notices, n => n.Level == AuditNoticeLevel.Warning && n.Message.Contains(AuditHead.FileName, StringComparison.Ordinal));
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        Directory.Delete(Path.Combine(audit.Directory, AuditHead.FileName + ".tmp"));
        audit.Delete();
    }

    [Fact]
    public async Task In_none_mode_the_head_names_only_records_that_reached_the_file()
    {
        // A clock that stands still: after the first batch, records wait in memory (None mode) and the head must not name them.
        await using var audit = new AuditFixture(s => s with { Durability = Durability.None }, new FakeTimeProvider()).Start();
        for (var i = 0; i < 20; i++)
        {
            await audit.Log.AppendAsync([AuditFixture.Entry("n" + i)]);

            // While the service runs, verify never reports records deleted from the end.
            var result = AuditVerifier.Verify(audit.Directory);
            Assert.True(result.Ok, result.FirstBreak?.Reason);
        }

        await audit.StopAsync();
        Assert.Equal(20, audit.Lines().Length);
        Assert.True(AuditVerifier.Verify(audit.Directory).Ok);
        audit.Delete();
    }
}
