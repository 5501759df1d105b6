namespace ModelMonitor.Audit.Tests;

/// <summary>A temporary store directory and a running writer over it.</summary>
internal sealed class AuditFixture : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? writer;

    public AuditFixture(Func<AuditSettings, AuditSettings>? configure = null, TimeProvider? time = null, string? directory = null)
    {
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("mm-audit-").FullName;
        var settings = new AuditSettings { Directory = Directory, Durability = Durability.Flush };
        Log = new AuditLog(configure is null ? settings : configure(settings), time, Notices.Add);
    }

    public string Directory { get; }

    public AuditLog Log { get; }

    public List<AuditNotice> Notices { get; } = [];

    public AuditFixture Start()
    {
        writer = Log.RunAsync(stop.Token);
        return this;
    }

    public static AuditEntry Entry(string text, string kind = "prediction", string? label = "POSITIVE", DateTimeOffset? at = null) =>
        new(kind, at ?? DateTimeOffset.UtcNow, "req-" + text, json =>
        {
            json.WriteString("text", text);
            if (label is not null)
            {
                json.WriteString("label", label);
            }
        });

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (writer is not null)
        {
            await writer;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    public void Delete() => System.IO.Directory.Delete(Directory, recursive: true);

    public string[] Lines() => AuditSegments.List(Directory).SelectMany(File.ReadAllLines).ToArray();
}
