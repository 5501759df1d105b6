using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelMonitor.Audit;

/// <summary>
/// Segment files: <c>audit-YYYYMMDD-NNNNNNNN.jsonl</c>, the UTC day of the records inside and a
/// sequence number that only grows, so lexical order is time order. Readers open them shared, read
/// only complete lines, and never block the writer.
/// </summary>
public static partial class AuditSegments
{
    public const string QuarantineDirectory = "quarantine";

    [GeneratedRegex(@"^audit-(\d{8})-(\d{8})\.jsonl$")]
    private static partial Regex NamePattern();

    /// <summary>The segments in a directory, oldest first.</summary>
    public static IReadOnlyList<string> List(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        return System.IO.Directory.GetFiles(directory, "audit-*.jsonl")
            .Where(p => NamePattern().IsMatch(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static string NameFor(DateOnly day, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"audit-{day:yyyyMMdd}-{sequence:D8}.jsonl");

    public static DateOnly DayOf(string path) =>
        DateOnly.ParseExact(NamePattern().Match(Path.GetFileName(path)).Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture);

    public static long SequenceOf(string path) =>
        long.Parse(NamePattern().Match(Path.GetFileName(path)).Groups[2].Value, CultureInfo.InvariantCulture);

    /// <summary>The complete lines of a segment (without their newline), with 1-based line numbers. A torn tail is skipped.</summary>
    public static IEnumerable<(int Number, byte[] Line)> ReadLines(string path)
    {
        byte[] content;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (FileNotFoundException)
        {
            yield break; // removed by retention while we were listing
        }

        var start = 0;
        var number = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                number++;
                yield return (number, content[start..i]);
                start = i + 1;
            }
        }
    }

    /// <summary>
    /// Moves a torn last line (bytes after the final newline, left by a crash mid-write) to the
    /// quarantine folder and truncates the segment. Returns the quarantine file and the bytes moved,
    /// or null if the segment was whole.
    /// </summary>
    internal static (string Path, long Bytes)? QuarantineTornTail(string path, DateTimeOffset now)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length == 0)
        {
            return null;
        }

        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        if (content[^1] == (byte)'\n')
        {
            return null;
        }

        var keep = Array.LastIndexOf(content, (byte)'\n') + 1;
        var quarantine = Path.Combine(Path.GetDirectoryName(path)!, QuarantineDirectory);
        System.IO.Directory.CreateDirectory(quarantine);
        var target = Path.Combine(quarantine, string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}.torn-{now:yyyyMMddTHHmmssfffZ}"));
        File.WriteAllBytes(target, content[keep..]);
        stream.SetLength(keep);
        stream.Flush(flushToDisk: true);
        return (target, content.Length - keep);
    }
}
