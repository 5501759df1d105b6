using Microsoft.Extensions.Time.Testing;
using ModelMonitor.Audit;

namespace ModelMonitor.Monitoring.Tests.History;

/// <summary>A real audit store in a temporary folder, written through the store's own writer.</summary>
internal sealed class AuditStore : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mm-history-").FullName;

    /// <summary>Writes the entries, each committed at its own time.</summary>
    public async Task WriteAsync(IEnumerable<AuditEntry> entries)
    {
        var list = entries.ToArray();
        var clock = new FakeTimeProvider(list.Length == 0 ? DateTimeOffset.UnixEpoch : list[0].Timestamp);
        var log = new AuditLog(new AuditSettings { Directory = Directory, Durability = Durability.None }, clock);
        using var stop = new CancellationTokenSource();
        var writer = log.RunAsync(stop.Token);
        foreach (var entry in list)
        {
            clock.SetUtcNow(entry.Timestamp);
            await log.AppendAsync([entry]);
        }

        await stop.CancelAsync();
        await writer;
        await log.DisposeAsync();
    }

    /// <summary>Appends a line as an older version of the service wrote it (no hash chain: readers do not check it).</summary>
    public void AppendRaw(string line)
    {
        var segment = AuditSegments.List(Directory)[^1];
        File.AppendAllText(segment, line + "\n");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
