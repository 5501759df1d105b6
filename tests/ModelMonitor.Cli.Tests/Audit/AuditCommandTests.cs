using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ModelMonitor.Audit;

namespace ModelMonitor.Cli.Tests.Audit;

public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-cli-audit-").FullName;
    private readonly DateTimeOffset start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        // The store's clock names the segments' days, so it runs at the records' own times.
        var clock = new FakeTimeProvider(start);
        var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Flush }, clock);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        for (var i = 0; i < 6; i++)
        {
            var text = "t" + i;
            clock.SetUtcNow(start.AddHours(i));
            await log.AppendAsync([new AuditEntry("prediction", start.AddHours(i), "r" + i, json => json.WriteString("text", text))]);
        }

        await stop.CancelAsync();
        await writer;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void Verify_reports_ok_with_counts_and_exits_zero()
    {
        var (exit, output, _) = Run("audit", "verify", "--dir", directory);
        Assert.Equal(0, exit);
        Assert.Contains("OK: 6 records in 1 segment(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_the_first_break_and_exits_one()
    {
        var segment = AuditSegments.List(directory).Single();
        var lines = File.ReadAllLines(segment);
        lines[2] = lines[2].Replace("\"t2\"", "\"tX\"", StringComparison.Ordinal);
        File.WriteAllLines(segment, lines);
        var (exit, output, _) = Run("audit", "verify", "--dir", directory);
        Assert.Equal(1, exit);
        Assert.Contains("line 3", output, StringComparison.Ordinal);
        Assert.Contains("edited", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_streams_the_records_in_the_time_range_oldest_first()
    {
        var (exit, output, error) = Run("audit", "export", "--dir", directory, "--from", start.AddHours(1).ToString("O", CultureInfo.InvariantCulture), "--to", start.AddHours(4).ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"t1\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"t3\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("exported 3 records", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_directory_and_bad_times_exit_two()
    {
        Assert.Equal(2, Run("audit", "verify", "--dir", Path.Combine(directory, "nope")).Exit);
        Assert.Equal(2, Run("audit", "export", "--dir", directory, "--from", "yesterday-ish").Exit);
    }

    [Fact]
    public async Task Verify_reports_losses_the_store_recorded_and_exits_three()
    {
        // Cut the last record from the stopped store, then let the store open it again: it repairs and records the loss.
        var segment = AuditSegments.List(directory).Single();
        var lines = File.ReadAllLines(segment);
        File.WriteAllLines(segment, lines[..^1]);
        Assert.Equal(1, Run("audit", "verify", "--dir", directory).Exit);

        var log = new AuditLog(new AuditSettings { Directory = directory, Durability = Durability.Flush });
        using (var stop = new CancellationTokenSource())
        {
            var writer = log.RunAsync(stop.Token);
            await log.AppendAsync([new AuditEntry("prediction", start.AddHours(7), "r7", json => json.WriteString("text", "after"))]);
            await stop.CancelAsync();
            await writer;
        }

        var (exit, output, _) = Run("audit", "verify", "--dir", directory);
        Assert.Equal(3, exit);
        Assert.Contains("LOSSES RECORDED", output, StringComparison.Ordinal);
        Assert.Contains("head_ahead, 1 record(s)", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
