using System.Reflection;

namespace ModelMonitor.Testing;

/// <summary>The Microsoft.ML.OnnxRuntime version pinned in Directory.Packages.props, passed to the test assembly by the build.</summary>
internal static class PinnedOnnxRuntime
{
    public static string Version { get; } =
        typeof(PinnedOnnxRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OnnxRuntimeVersion").Value!;
}
