using System.Diagnostics;

namespace ModelMonitor.Bench;

/// <summary>The real service as a child process on a free loopback port, with its own audit directory unless one is given.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string? ownedAuditDirectory;

    private ServiceProcess(Process process, HttpClient client, string? ownedAuditDirectory, TimeSpan startup)
    {
        this.process = process;
        Client = client;
        this.ownedAuditDirectory = ownedAuditDirectory;
        Startup = startup;
    }

    public HttpClient Client { get; }

    /// <summary>From process start to the first ready answer.</summary>
    public TimeSpan Startup { get; }

    public static async Task<ServiceProcess> StartAsync(string serviceDll, string modelPath, string[] settings, string? auditDirectory = null)
    {
        var port = FreePort();
        var owned = auditDirectory is null ? Directory.CreateTempSubdirectory("mm-bench-predict-").FullName : null;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { serviceDll, "--urls", $"http://127.0.0.1:{port}", $"--Model:Path={modelPath}", $"--Audit:Directory={auditDirectory ?? owned}", "--Log:MinimumLevel=Warning" }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        await WaitReadyAsync(client);
        return new ServiceProcess(process, client, owned, watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        if (ownedAuditDirectory is not null)
        {
            Directory.Delete(ownedAuditDirectory, recursive: true);
        }
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        for (var i = 0; i < 3000; i++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The service did not become ready.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
