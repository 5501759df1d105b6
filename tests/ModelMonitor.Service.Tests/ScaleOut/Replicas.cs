using System.Globalization;
using ModelMonitor.Service.Tests.Hosting;
using ModelMonitor.Service.Tests.Monitoring;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.ScaleOut;

/// <summary>
/// Replicas of the built service, each a real process (<c>dotnet ModelMonitor.Service.dll</c>),
/// sharing one database of a throwaway PostgreSQL cluster; each has its own writer id, outbox and
/// working directory.
/// </summary>
internal sealed class Replicas : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly List<RunningService> running = [];

    public Replicas(int leaderTakeoverSeconds = 6)
    {
        LeaderTakeoverSeconds = leaderTakeoverSeconds;
        Database = Cluster.CreateDatabase();
    }

    public PostgresCluster Cluster { get; } = new();

    public string Database { get; }

    public int LeaderTakeoverSeconds { get; }

    public string Root { get; } = Directory.CreateTempSubdirectory("mm-replicas-").FullName;

    public async Task<(RunningService Service, HttpClient Client)> StartAsync(string writerId, SmtpServer? smtp = null, params (string Key, string? Value)[] extra)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, writerId)).FullName;
        var settings = MonitoringClient.Settings(TestPaths.Sst2Train, smtp, extra);
        settings["Model:Path"] = TestPaths.Sst2TinyModel;
        settings["Audit:Store"] = "Postgres";
        settings["ConnectionStrings:Audit"] = Database;
        settings["Audit:WriterId"] = writerId;
        settings["Audit:Directory"] = Path.Combine(directory, "audit");
        settings["Alerts:OutboxDirectory"] = Path.Combine(directory, "alerts");
        settings["Drift:ReportPath"] = Path.Combine(directory, "report.json");
        settings["ScaleOut:LeaderTakeoverSeconds"] = LeaderTakeoverSeconds.ToString(CultureInfo.InvariantCulture);
        settings["ScaleOut:TailIntervalMs"] = "200";
        string[] arguments = ["--urls", "http://127.0.0.1:0", .. settings.Select(s => $"--{s.Key}={s.Value}")];
        var service = await RunningService.StartAsync(directory, StartTimeout, arguments);
        running.Add(service);
        return (service, new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(60) });
    }

    /// <summary>Replica A, then (once A leads) replica B, both with their reference ready: a leader and a follower.</summary>
    public async Task<(RunningService A, HttpClient ClientA, RunningService B, HttpClient ClientB)> StartLeaderAndFollowerAsync(SmtpServer? smtp = null, params (string Key, string? Value)[] extra)
    {
        var (a, clientA) = await StartAsync("replica-a", smtp, extra);
        await WaitForLeadershipAsync(a, TimeSpan.FromSeconds(30));
        var (b, clientB) = await StartAsync("replica-b", smtp, extra);
        await MonitoringClient.WaitForReferenceAsync(clientA);
        await MonitoringClient.WaitForReferenceAsync(clientB);
        return (a, clientA, b, clientB);
    }

    /// <summary>Kills the replica's process (SIGKILL: no shutdown, nothing drained).</summary>
    public async Task KillAsync(RunningService service)
    {
        running.Remove(service);
        await service.DisposeAsync();
    }

    /// <summary>Waits until the replica logs that it leads the monitor.</summary>
    public static Task WaitForLeadershipAsync(RunningService service, TimeSpan timeout) =>
        service.WaitForLineAsync(line => line.Contains("is now the monitor's leader", StringComparison.Ordinal), timeout);

    public static bool Leads(RunningService service) =>
        service.Lines.Any(line => line.Contains("is now the monitor's leader", StringComparison.Ordinal));

    public long Scalar(string sql) => PostgresCluster.Scalar<long>(Database, sql);

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var service in running)
            {
                await service.DisposeAsync();
            }
        }
        finally
        {
            // Whatever a replica's disposal threw, the cluster's server must not outlive the test.
            Cluster.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }
}
