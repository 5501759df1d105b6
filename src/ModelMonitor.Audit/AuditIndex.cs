using System.Collections.Concurrent;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ModelMonitor.Audit;

/// <summary>
/// An in-memory sparse index of a store, for finding many records by id cheaply (late feedback
/// labels): for each segment, the id and offset of the first line starting after every
/// <see cref="Stride"/> bytes. Ids increase in file order, so a lookup is a binary search in memory
/// and one read of at most a stride and a record. Segments only grow; the index extends itself
/// over new complete lines as lookups need them, and forgets segments that retention deleted.
/// Thread-safe; one instance per store.
/// </summary>
public sealed class AuditIndex(string directory) : IDisposable
{
    /// <summary>Bytes between index marks: the most a lookup reads, plus one record.</summary>
    public const int Stride = 16 * 1024;

    private const int Chunk = 4096;

    private readonly ConcurrentDictionary<string, SegmentIndex> segments = new(StringComparer.Ordinal);

    public string Directory { get; } = directory;

    /// <summary>The record with this id, or null for an unknown or malformed id.</summary>
    public AuditRecordView? Find(string id) => FindLine(id) is { } line ? AuditReader.ParseView(line) : null;

    /// <summary>
    /// Whether a record with this id and kind exists, read from the stored line's envelope without
    /// parsing the record: what a late label needs, at the least cost.
    /// </summary>
    public bool Contains(string id, string kind)
    {
        if (FindLine(id) is not { } line)
        {
            return false;
        }

        var member = Encoding.ASCII.GetBytes($"\"kind\":\"{kind}\"");
        return line.AsSpan(0, Math.Min(line.Length, 160)).IndexOf(member) >= 0;
    }

    private byte[]? FindLine(string id)
    {
        if (!AuditIds.TryParseTime(id, out _))
        {
            return null;
        }

        var target = Encoding.ASCII.GetBytes(id);

        // The listing is cached; a miss lists again, in case the record is in a segment created since.
        try
        {
            return FindIn(Volatile.Read(ref listing) ?? Relist(), target) ?? FindIn(Relist(), target);
        }
        catch (ObjectDisposedException)
        {
            return null; // the index was disposed, or retention removed the segment mid-lookup
        }
    }

    /// <summary>Closes the segments' read handles.</summary>
    public void Dispose()
    {
        foreach (var segment in segments.Values)
        {
            segment.Dispose();
        }

        segments.Clear();
    }

    private string[]? listing;

    private string[] Relist()
    {
        var paths = AuditSegments.List(Directory).ToArray();
        foreach (var gone in segments.Keys.Except(paths, StringComparer.Ordinal))
        {
            if (segments.TryRemove(gone, out var removed))
            {
                removed.Dispose();
            }
        }

        Volatile.Write(ref listing, paths);
        return paths;
    }

    private byte[]? FindIn(string[] paths, byte[] target)
    {
        // The last segment whose first id is at most the target holds it, if any does.
        for (var i = paths.Length - 1; i >= 0; i--)
        {
            var index = segments.GetOrAdd(paths[i], p => new SegmentIndex(p));
            var first = index.FirstId();
            if (first is null)
            {
                continue; // empty, or removed by retention
            }

            if (first.AsSpan().SequenceCompareTo(target) <= 0)
            {
                return index.Find(target);
            }
        }

        return null;
    }

    private sealed class SegmentIndex(string path) : IDisposable
    {
        private readonly Lock gate = new();
        private SafeFileHandle? handle;
        private (byte[] Id, long Offset)[] marks = [];
        private long indexedTo;

        public byte[]? FirstId()
        {
            Extend(first: true);
            var snapshot = Volatile.Read(ref marks);
            return snapshot.Length == 0 ? null : snapshot[0].Id;
        }

        public byte[]? Find(byte[] target)
        {
            var snapshot = Volatile.Read(ref marks);
            if (snapshot.Length == 0 || snapshot[^1].Id.AsSpan().SequenceCompareTo(target) < 0)
            {
                Extend(first: false); // the record may be newer than the index
                snapshot = Volatile.Read(ref marks);
            }

            // The last mark at or before the target, and the next mark (or the end) after it.
            int lo = 0, hi = snapshot.Length - 1, at = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (snapshot[mid].Id.AsSpan().SequenceCompareTo(target) <= 0)
                {
                    at = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (at < 0)
            {
                return null;
            }

            var file = Open();
            if (file is null)
            {
                return null;
            }

            var start = snapshot[at].Offset;
            var end = at + 1 < snapshot.Length ? snapshot[at + 1].Offset : RandomAccess.GetLength(file);
            var window = new byte[end - start];
            var read = RandomAccess.Read(file, window, start);
            var offset = 0;
            while (offset < read)
            {
                var newline = Array.IndexOf(window, (byte)'\n', offset, read - offset);
                if (newline < 0)
                {
                    return null; // a torn tail
                }

                var line = window.AsSpan(offset, newline - offset);
                var found = IdOf(line);
                if (!found.IsEmpty)
                {
                    var order = found.SequenceCompareTo(target);
                    if (order == 0)
                    {
                        return line.ToArray();
                    }

                    if (order > 0)
                    {
                        return null;
                    }
                }

                offset = newline + 1;
            }

            return null;
        }

        /// <summary>Adds a mark for the first line starting at or after every stride boundary, over complete lines only.</summary>
        private void Extend(bool first)
        {
            lock (gate)
            {
                if (first && marks.Length > 0)
                {
                    return;
                }

                var file = Open();
                if (file is null)
                {
                    return;
                }

                var length = RandomAccess.GetLength(file);
                var added = new List<(byte[] Id, long Offset)>(marks);
                var buffer = new byte[Chunk];
                var next = indexedTo;
                while (next < length)
                {
                    var start = next == 0 ? 0 : NextLineStart(file, next, length, buffer);
                    if (start < 0 || start >= length)
                    {
                        break;
                    }

                    var read = RandomAccess.Read(file, buffer, start);
                    var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
                    if (newline < 0 && read == buffer.Length)
                    {
                        newline = read; // a long record: its id is near the start anyway
                    }
                    else if (newline < 0)
                    {
                        break; // not a complete line yet
                    }

                    var id = IdOf(buffer.AsSpan(0, newline));
                    if (!id.IsEmpty)
                    {
                        added.Add((id.ToArray(), start));
                    }

                    next = start + Stride;
                    indexedTo = next;
                    if (first)
                    {
                        break;
                    }
                }

                Volatile.Write(ref marks, [.. added]);
            }
        }

        private static long NextLineStart(SafeFileHandle file, long from, long length, byte[] buffer)
        {
            var offset = from - 1;
            while (offset < length)
            {
                var read = RandomAccess.Read(file, buffer, offset);
                if (read <= 0)
                {
                    return -1;
                }

                var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
                if (newline >= 0)
                {
                    return offset + newline + 1;
                }

                offset += read;
            }

            return -1;
        }

        /// <summary>The segment's read handle, opened once and kept (a segment is never rewritten, only appended to).</summary>
        private SafeFileHandle? Open()
        {
            if (Volatile.Read(ref handle) is { IsClosed: false } open)
            {
                return open;
            }

            try
            {
                var opened = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (Interlocked.CompareExchange(ref handle, opened, null) is { } other)
                {
                    opened.Dispose();
                    return other;
                }

                return opened;
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }

        public void Dispose() => Interlocked.Exchange(ref handle, null)?.Dispose();
    }

    private static readonly byte[] IdMember = Encoding.ASCII.GetBytes("\"id\":\"");

    /// <summary>The id of a stored line (the envelope writes <c>"id":"…"</c> near its start); empty when there is none.</summary>
    private static ReadOnlySpan<byte> IdOf(ReadOnlySpan<byte> line)
    {
        var head = line[..Math.Min(line.Length, 64)];
        var at = head.IndexOf(IdMember);
        if (at < 0)
        {
            return [];
        }

        var rest = line[(at + IdMember.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? [] : rest[..end];
    }
}
