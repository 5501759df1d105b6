using System.Diagnostics;

namespace ModelMonitor.Testing;

/// <summary>
/// A real, small tmpfs mounted in a temporary directory: a disk that really fills up. Mounting needs
/// root, which CI and the development machines have.
/// </summary>
internal sealed class TmpfsVolume : IDisposable
{
    public TmpfsVolume(string size)
    {
        Path = Directory.CreateTempSubdirectory("mm-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
    }

    public string Path { get; }

    /// <summary>Fills the volume with a file of <paramref name="bytes"/> bytes, or as much as fits.</summary>
    public string Fill(string name, long bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            for (long written = 0; written < bytes; written += block.Length)
            {
                stream.Write(block);
            }

            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Full: as much as fits.
        }

        return file;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error} (the disk-full tests mount a tmpfs and need root)");
        }
    }
}
