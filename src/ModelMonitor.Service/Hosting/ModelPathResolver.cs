namespace ModelMonitor.Service.Hosting;

/// <summary>
/// Resolves a configured path: absolute as given; relative against the working directory, then
/// against the repository root (the folder holding ModelMonitor.sln above the binaries).
/// </summary>
internal static class ModelPathResolver
{
    private static readonly Lazy<string?> RepositoryRoot = new(FindRepositoryRoot);

    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        var fromWorkingDirectory = Path.GetFullPath(path);
        if (Directory.Exists(fromWorkingDirectory) || File.Exists(fromWorkingDirectory) || RepositoryRoot.Value is null)
        {
            return fromWorkingDirectory;
        }

        var fromRepository = Path.GetFullPath(Path.Combine(RepositoryRoot.Value, path));
        return Directory.Exists(fromRepository) || File.Exists(fromRepository) ? fromRepository : fromWorkingDirectory;
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ModelMonitor.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
