using System.Text.RegularExpressions;
using ModelMonitor.Service.Tests.Metrics;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Protocols;

/// <summary>
/// Node.js is needed only by the Hugging Face client test: .ci/run installs Debian's nodejs and npm
/// on a machine without npm, and neither building nor running the service calls Node.
/// </summary>
public sealed partial class NodeSetupTests
{
    private static readonly string MissingPackages = Path.Combine(TestPaths.RepositoryRoot, ".ci", "missing-packages");

    [Fact]
    public async Task On_a_machine_without_npm_ci_installs_debians_nodejs_and_npm()
    {
        // A PATH with only what the script itself runs: no npm on it, whatever this machine has.
        var bin = Directory.CreateTempSubdirectory("mm-no-npm-").FullName;
        try
        {
            foreach (var tool in new[] { "bash", "dpkg-query", "grep" })
            {
                File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));
            }

            var packages = await RunAsync(bin);
            Assert.Contains("nodejs", packages);
            Assert.Contains("npm", packages);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [Fact]
    public async Task With_npm_present_ci_installs_no_nodejs_over_it()
    {
        Which("npm");
        var packages = await RunAsync(Environment.GetEnvironmentVariable("PATH")!);
        Assert.DoesNotContain("nodejs", packages);
        Assert.DoesNotContain("npm", packages);
    }

    /// <summary>The README's two commands need only the .NET SDK: no MSBuild file runs node, npm or npx.</summary>
    [Fact]
    public void No_build_file_runs_node()
    {
        var buildFiles = Directory.EnumerateFiles(TestPaths.RepositoryRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".csproj" or ".props" or ".targets")
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .ToArray();
        Assert.Contains(buildFiles, f => f.EndsWith("ModelMonitor.Service.csproj", StringComparison.Ordinal));
        var callers = buildFiles.Where(f => NodeCommand().IsMatch(File.ReadAllText(f))).ToArray();
        Assert.True(callers.Length == 0, "Build files that mention node/npm/npx: " + string.Join(", ", callers));
    }

    private static async Task<string[]> RunAsync(string path)
    {
        var (exitCode, output) = await ExternalTool.RunAsync("/usr/bin/env", [$"PATH={path}", "bash", MissingPackages]);
        Assert.True(exitCode == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The tool's path on this machine's PATH.</summary>
    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException($"'{tool}' is not on PATH; .ci/run installs it.");

    [GeneratedRegex(@"\b(npm|npx|node(js)?)\b(?!_modules)", RegexOptions.IgnoreCase)]
    private static partial Regex NodeCommand();
}
