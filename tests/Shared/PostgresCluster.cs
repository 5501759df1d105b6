using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ModelMonitor.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 on a free port
/// with its Unix socket inside the directory: Debian's server binaries (package <c>postgresql</c>,
/// <c>/usr/lib/postgresql/N/bin</c>; <c>MODELMONITOR_PG_BIN</c> points elsewhere). PostgreSQL
/// refuses to run as root, so when the tests run as root (CI) the cluster belongs to, and runs as,
/// the <c>postgres</c> user the package creates (else <c>nobody</c>), through <c>setpriv</c>.
/// Each test asks for a database of its own.
/// </summary>
internal sealed class PostgresCluster : IDisposable
{
    private readonly string bin;
    private readonly string data;
    private readonly string? runAs;
    private int databases;

    public PostgresCluster(bool fsync = false)
    {
        bin = FindBin();
        Root = Directory.CreateTempSubdirectory("mm-pg-").FullName;
        data = Path.Combine(Root, "data");
        runAs = Environment.UserName == "root" ? ServiceUser() : null;
        if (runAs is not null)
        {
            Run("chown", [runAs, Root], asServiceUser: false);
        }

        Port = FreePort();
        Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        File.AppendAllLines(Path.Combine(data, "postgresql.conf"),
        [
            $"port = {Port}",
            "listen_addresses = '127.0.0.1'",
            $"unix_socket_directories = '{Root}'",
            $"fsync = {(fsync ? "on" : "off")}",
            "max_connections = 200",
            "log_min_messages = warning",
        ]);
        Start();
    }

    public string Root { get; }

    public int Port { get; }

    /// <summary>Whether the server is running (between <see cref="Start"/> and <see cref="Stop"/>).</summary>
    public bool Running { get; private set; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 5 }.ConnectionString;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public string CreateDatabase(string prefix = "mm")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref databases)}_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public void Start()
    {
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(Root, "server.log"), "-w", "-t", "60", "start"]);
        Running = true;
    }

    /// <summary>Stops the server at once (clients are cut off, as in a crash of the database).</summary>
    public void Stop()
    {
        Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
        Running = false;
    }

    /// <summary>Runs SQL as the superuser on a database.</summary>
    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (Running)
        {
            try
            {
                Stop();
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory goes anyway.
            }
        }

        Directory.Delete(Root, recursive: true);
    }

    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("MODELMONITOR_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException("No PostgreSQL server binaries: install Debian's postgresql package (.ci/missing-packages lists it) or set MODELMONITOR_PG_BIN.");
    }

    private static string ServiceUser()
    {
        var passwd = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        return passwd.Contains("postgres") ? "postgres" : "nobody";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Run(string command, string[] arguments, bool asServiceUser = true)
    {
        var start = new ProcessStartInfo(asServiceUser && runAs is not null ? "setpriv" : command)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Root,
        };
        if (asServiceUser && runAs is not null)
        {
            // --init-groups: the user's own groups, not root's; --reset-env: its own HOME and PATH.
            foreach (var argument in new[] { $"--reuid={runAs}", $"--regid={runAs}", "--init-groups", "--reset-env", "--", command })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }
}
