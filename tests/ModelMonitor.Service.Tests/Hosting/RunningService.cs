using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>
/// The built service running as a real process (<c>dotnet ModelMonitor.Service.dll</c>) in a
/// working directory of the test's choosing, with its console output kept line by line.
/// </summary>
internal sealed partial class RunningService : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private RunningService(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => [.. lines];

    /// <summary>Where Kestrel listens, from its "Now listening on" line.</summary>
    public Uri? Address { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>Starts the service and waits until it listens (or fails if it exits first).</summary>
    public static async Task<RunningService> StartAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServiceProcess.ServiceAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var service = new RunningService(Process.Start(start)!);
        await service.WaitForLineAsync(_ => service.Address is not null, timeout);
        return service;
    }

    /// <summary>The first output line that matches, waiting until the deadline.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            Assert.False(process.HasExited && lines.FirstOrDefault(match) is null, $"The service exited with {(process.HasExited ? process.ExitCode : 0)}:\n{string.Join('\n', lines)}");
            Assert.True(DateTime.UtcNow < deadline, $"No matching output within {timeout}:\n{string.Join('\n', lines)}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (Address is null && ListeningOn().Match(line) is { Success: true } listening)
        {
            Address = new Uri(listening.Groups[1].Value);
        }

        lines.Enqueue(line);
    }

    [GeneratedRegex(@"Now listening on: \\?""?(http://[^\s""\\]+)")]
    private static partial Regex ListeningOn();
}
