using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Tests;

/// <summary>The store on a disk that really fills up (a 2 MiB tmpfs): #15 item 1.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task A_full_disk_fails_batches_without_touching_the_segment_and_the_store_resumes_when_space_returns()
    {
        using var volume = new TmpfsVolume("2m");
        var directory = Path.Combine(volume.Path, "audit");
        var filler = volume.Fill("filler", 1536 * 1024);
        var notices = new List<AuditNotice>();
        var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Fsync }, notify: notices.Add);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);

        // Fill the rest with 8 KB records until the disk refuses one.
        var text = new string('x', 8 * 1024);
        var committed = 0;
        AuditWriteException? refused = null;
        while (refused is null)
        {
            try
            {
                await log.AppendAsync([AuditFixture.Entry(text + committed)]);
                committed++;
            }
            catch (AuditWriteException e)
            {
                refused = e;
            }
        }

        Assert.True(committed > 10, $"only {committed} records fit");
        Assert.NotNull(log.CheckWritable());
        var segments = AuditSegments.List(directory);
        var before = await File.ReadAllBytesAsync(segments[^1]);

        // Retries while the disk is full: each fails, the segment stays byte-identical, no segment is added.
        for (var retry = 0; retry < 20; retry++)
        {
            await Assert.ThrowsAsync<AuditWriteException>(() => log.AppendAsync([AuditFixture.Entry(text + "retry" + retry)]));
        }

        Assert.Equal(segments, AuditSegments.List(directory));
        Assert.Equal(before, await File.ReadAllBytesAsync(segments[^1]));
        Assert.True(AuditVerifier.Verify(directory).Ok);

        // Space returns: the probe says writable, and the next record is stored without a restart.
        File.Delete(filler);
        Assert.Null(log.CheckWritable());
        await log.AppendAsync([AuditFixture.Entry("after space returned")]);
        Assert.Null(log.LastFailure);

        notices.Clear();
        await stop.CancelAsync();
        await writer;
        await log.DisposeAsync();
        Assert.DoesNotContain(notices, n => n.Level == AuditNoticeLevel.Error);

        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Equal(committed + 1, result.Records);
    }
}
