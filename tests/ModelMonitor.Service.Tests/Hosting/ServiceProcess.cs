using System.Diagnostics;

namespace ModelMonitor.Service.Tests.Hosting;

/// <summary>Runs the built service as a real process, for what only a real process shows: exit codes and console output.</summary>
internal static class ServiceProcess
{
    public static string ServiceAssembly
    {
        get
        {
            // tests/ModelMonitor.Service.Tests/bin/<cfg>/net10.0 → src/ModelMonitor.Service/bin/<cfg>/net10.0
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var root = Testing.TestPaths.RepositoryRoot;
            return Path.Combine(root, "src", "ModelMonitor.Service", "bin", configuration, framework, "ModelMonitor.Service.dll");
        }
    }

    public static async Task<(int ExitCode, string Output)> RunToExitAsync(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServiceAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The service did not exit within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
