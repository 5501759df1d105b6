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
public sealed class AuditIndex(string directory)
{
    /// <summary>Bytes between index marks: the most a lookup reads, plus one record.</summary>
    public const int Stride = 16 * 1024;

    private const int Chunk = 4096;

    private readonly ConcurrentDictionary<string, SegmentIndex> segments = new(StringComparer.Ordinal);

    public string Directory { get; } = directory;

    /// <summary>The record with this id, or null for an unknown or malformed id.</summary>
    public AuditRecordView? Find(string id)
    {
        if (!AuditIds.TryParseTime(id, out _))
        {
            return null;
        }

        var target = Encoding.ASCII.GetBytes(id);
        var paths = AuditSegments.List(Directory);
        foreach (var gone in segments.Keys.Except(paths, StringComparer.Ordinal))
        {
            segments.TryRemove(gone, out _);
        }

        // The last segment whose first id is at most the target holds it, if any does.
        for (var i = paths.Count - 1; i >= 0; i--)
        {
            var index = segments.GetOrAdd(paths[i], p => new SegmentIndex(p));
            var first = index.FirstId();
            if (first is null)
            {
                continue; // empty
            }

            if (first.AsSpan().SequenceCompareTo(target) <= 0)
            {
                return index.Find(target) is { } line ? AuditReader.ParseView(line) : null;
            }
        }

        return null;
    }

    private sealed class SegmentIndex(string path)
    {
        private readonly Lock gate = new();
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

            using var file = Open();
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

                using var file = Open();
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

        private SafeFileHandle? Open()
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
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
