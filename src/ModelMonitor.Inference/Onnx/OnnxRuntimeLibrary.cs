using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// Which native ONNX Runtime library is loaded. By default the one the Microsoft.ML.OnnxRuntime
/// package placed beside the binaries (found through the app's deps.json). <see cref="UseFile"/>,
/// or the <see cref="PathVariable"/> environment variable, points at another build instead; it
/// must be called before ORT is first used, and must serve the C API version of the package.
/// </summary>
public static class OnnxRuntimeLibrary
{
    public const string PathVariable = "MODELMONITOR_ONNXRUNTIME_LIBRARY";

    private const string ImportName = "onnxruntime";
    private static readonly Lock Gate = new();
    private static string? path;

    /// <summary>The library file chosen with <see cref="UseFile"/> or the environment variable; null: the package's.</summary>
    public static string? ConfiguredPath => path;

    /// <summary>Loads ORT from <paramref name="file"/> instead of the package's library.</summary>
    /// <exception cref="InvalidOperationException">ORT is already loaded, from another file.</exception>
    public static void UseFile(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        var full = Path.GetFullPath(file);
        lock (Gate)
        {
            if (path == full)
            {
                return;
            }

            if (path is not null || OrtEnv.IsCreated)
            {
                throw new InvalidOperationException($"ONNX Runtime is already loaded ({path ?? "the package's library"}); '{full}' can only be chosen before its first use.");
            }

            // ORT's own resolver must stay out of the way, and ours is the assembly's only one.
            OrtEnv.DisableDllImportResolver = true;
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
            path = full;
        }
    }

    /// <summary>Applies <see cref="PathVariable"/> when no file was chosen; called before ORT is first used.</summary>
    internal static void ApplyEnvironmentVariable()
    {
        if (path is null && Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } fromEnvironment)
        {
            UseFile(fromEnvironment);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == ImportName && path is { } file ? NativeLibrary.Load(file) : 0;
}
