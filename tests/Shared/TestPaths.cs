namespace ModelMonitor.Testing;

/// <summary>
/// Locates the repository and the shared models and data beside it (<c>../shared</c>), as CI lays
/// them out. <c>MODELMONITOR_SHARED_DIR</c> points elsewhere.
/// </summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string SharedDirectory =>
        Environment.GetEnvironmentVariable("MODELMONITOR_SHARED_DIR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Sst2TinyModel => Path.Combine(SharedDirectory, "models", "sst2-tiny");

    public static string DistilBertShapeModel => Path.Combine(SharedDirectory, "models", "distilbert-shape");

    public static string Sst2Dev => Path.Combine(SharedDirectory, "data", "sst2", "dev.tsv");

    public static string Sst2Train => Path.Combine(SharedDirectory, "data", "sst2", "train.tsv");

    public static string Banking77Dev => Path.Combine(SharedDirectory, "data", "banking77", "dev.tsv");

    /// <summary>Reads a two-column TSV with a header row (text, label).</summary>
    public static IReadOnlyList<(string Text, string Label)> ReadTsv(string path) =>
        File.ReadAllLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : string.Empty))
            .ToArray();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ModelMonitor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ModelMonitor.sln not found above " + AppContext.BaseDirectory);
    }
}
