using System.Reflection;
using System.Runtime.InteropServices;

namespace ModelMonitor.Inference.Native;

/// <summary>
/// Locates and loads libonnxruntime.so.1. The build places the library next to the binaries;
/// <c>MODELMONITOR_ONNXRUNTIME_LIBRARY</c> (or <see cref="LibraryPath"/>) points elsewhere.
/// </summary>
internal static unsafe partial class OrtLibrary
{
    internal const string Name = "onnxruntime";
    internal const string FileName = "libonnxruntime.so.1";
    internal const string PathVariable = "MODELMONITOR_ONNXRUNTIME_LIBRARY";

    private static int registered;

    /// <summary>An explicit library path; null means "next to the binaries".</summary>
    internal static string? LibraryPath { get; set; }

    [LibraryImport(Name)]
    internal static partial OrtApiBase* OrtGetApiBase();

    internal static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(OrtLibrary).Assembly, Resolve);
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        if (!string.IsNullOrEmpty(LibraryPath))
        {
            yield return LibraryPath;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            yield return fromEnvironment;
        }

        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var assemblyDirectory = Path.GetDirectoryName(typeof(OrtLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, FileName);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return 0;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        // Last resort: the system loader's own search (LD_LIBRARY_PATH, ldconfig).
        return NativeLibrary.TryLoad(FileName, assembly, searchPath, out var fallback) ? fallback : 0;
    }
}

/// <summary>The C struct <c>OrtApiBase</c>: the two entry points every ORT build exports.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OrtApiBase
{
    public delegate* unmanaged<uint, nint> GetApi;
    public delegate* unmanaged<byte*> GetVersionString;
}
