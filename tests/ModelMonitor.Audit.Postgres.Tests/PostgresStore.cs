namespace ModelMonitor.Audit.Postgres.Tests;

/// <summary>A database store, its running writer and its reader, for one test.</summary>
internal sealed class PostgresStore : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? writer;

    public PostgresStore(string connectionString, string writerId = "replica-a", Func<PostgresAuditSettings, PostgresAuditSettings>? configure = null, TimeProvider? time = null)
    {
        ConnectionString = connectionString;
        Database = new AuditDatabase(connectionString);
        var settings = new PostgresAuditSettings { ConnectionString = connectionString, WriterId = writerId, ProbeInterval = TimeSpan.Zero };
        Log = new PostgresAuditLog(Database, configure is null ? settings : configure(settings), time, Notices.Add);
        Source = new PostgresAuditSource(Database);
    }

    public string ConnectionString { get; }

    public AuditDatabase Database { get; }

    public PostgresAuditLog Log { get; }

    public PostgresAuditSource Source { get; }

    public List<AuditNotice> Notices { get; } = [];

    public PostgresStore Start()
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
        await Log.DisposeAsync();
        await Database.DisposeAsync();
        stop.Dispose();
    }
}
