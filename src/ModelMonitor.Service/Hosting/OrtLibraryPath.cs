namespace ModelMonitor.Service.Hosting;

/// <summary>Points the binding at a configured libonnxruntime.so.1 before ORT is first loaded.</summary>
internal static class OrtLibraryPath
{
    public static void Set(string path) => Environment.SetEnvironmentVariable("MODELMONITOR_ONNXRUNTIME_LIBRARY", Path.GetFullPath(path));
}
