using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ModelMonitor.Audit;

/// <summary>
/// Finds a record by id in logarithmic time. The single writer issues ids in increasing order, so
/// segments (in name order) and the lines inside each are sorted by id: a binary search over the
/// segments' first ids picks the segment, and a binary search over byte offsets inside it narrows
/// to a small window that is read line by line. Nothing else of the store is read.
/// </summary>
internal static class AuditLookup
{
    /// <summary>Below this many bytes the search reads the window whole and scans it.</summary>
    private const int LinearWindow = 8 * 1024;

    /// <summary>Read past the window's end, so the last record that starts in it is usually read whole too.</summary>
    private const int WindowSlack = 4 * 1024;

    private const int Chunk = 4096;

    private static readonly byte[] IdMember = Encoding.ASCII.GetBytes("\"id\":\"");

    public static byte[]? FindLine(string directory, string id)
    {
        var target = Encoding.ASCII.GetBytes(id);
        var segments = AuditSegments.List(directory);
        int lo = 0, hi = segments.Count - 1, chosen = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var first = FirstId(segments[mid]);
            if (first is null || Compare(first, target) <= 0)
            {
                // An empty segment (a new one, not yet written) sorts as "before": look right of it too.
                chosen = first is null ? chosen : mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return chosen < 0 ? null : FindInSegment(segments[chosen], target);
    }

    private static byte[]? FirstId(string path)
    {
        using var file = Open(path);
        if (file is null)
        {
            return null;
        }

        var length = RandomAccess.GetLength(file);
        return length == 0 ? null : ReadLine(file, 0, length) is { } line ? IdOf(line) : null;
    }

    private static byte[]? FindInSegment(string path, byte[] target)
    {
        using var file = Open(path);
        if (file is null)
        {
            return null;
        }

        var length = RandomAccess.GetLength(file);
        long lo = 0, hi = length; // lo is a line start whose id <= target (or 0); the record, if any, starts in [lo, hi).
        while (hi - lo > LinearWindow)
        {
            var mid = lo + ((hi - lo) / 2);
            var start = NextLineStart(file, mid, hi);
            if (start < 0)
            {
                hi = mid;
                continue;
            }

            var line = ReadLine(file, start, length);
            var found = line is null ? null : IdOf(line);
            if (found is null || Compare(found, target) <= 0)
            {
                lo = start;
            }
            else
            {
                hi = start;
            }
        }

        // Read the window in one go and scan it; a record starting before hi may end after it.
        var span = (int)Math.Min(length - lo, (hi - lo) + WindowSlack);
        var window = new byte[span];
        var read = RandomAccess.Read(file, window, lo);
        var offset = 0;
        while (offset < read && lo + offset < hi)
        {
            var newline = Array.IndexOf(window, (byte)'\n', offset, read - offset);
            byte[]? line = newline >= 0 ? window[offset..newline] : ReadLine(file, lo + offset, length);
            if (line is null)
            {
                return null; // a torn tail
            }

            if (IdOf(line) is { } found)
            {
                var order = Compare(found, target);
                if (order == 0)
                {
                    return line;
                }

                if (order > 0)
                {
                    return null;
                }
            }

            offset += line.Length + 1;
        }

        return null;
    }

    private static SafeFileHandle? Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null; // removed by retention while we were listing
        }
    }

    /// <summary>The first line start at or after <paramref name="from"/> (a byte after a newline), or -1 if none before <paramref name="limit"/>.</summary>
    private static long NextLineStart(SafeFileHandle file, long from, long limit)
    {
        if (from == 0)
        {
            return 0;
        }

        var buffer = new byte[Chunk];
        var offset = from - 1;
        while (offset < limit)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0)
            {
                return -1;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                var start = offset + newline + 1;
                return start < limit ? start : -1;
            }

            offset += read;
        }

        return -1;
    }

    /// <summary>The complete line starting at <paramref name="start"/>, without its newline; null when it has no newline (torn).</summary>
    private static byte[]? ReadLine(SafeFileHandle file, long start, long length)
    {
        var collected = new List<byte>(Chunk);
        var buffer = new byte[Chunk];
        var offset = start;
        while (offset < length)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0)
            {
                break;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                collected.AddRange(buffer.AsSpan(0, newline));
                return [.. collected];
            }

            collected.AddRange(buffer.AsSpan(0, read));
            offset += read;
        }

        return null;
    }

    /// <summary>The id of a stored line: the envelope writes it near the start, as <c>"id":"…"</c>.</summary>
    private static byte[]? IdOf(byte[] line)
    {
        var head = line.AsSpan(0, Math.Min(line.Length, 64));
        var at = head.IndexOf(IdMember);
        if (at < 0)
        {
            return null;
        }

        var start = at + IdMember.Length;
        var end = line.AsSpan(start).IndexOf((byte)'"');
        return end < 0 ? null : line.AsSpan(start, end).ToArray();
    }

    private static int Compare(byte[] left, byte[] right) => left.AsSpan().SequenceCompareTo(right);
}
