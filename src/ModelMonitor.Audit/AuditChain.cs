using System.Security.Cryptography;
using System.Text;

namespace ModelMonitor.Audit;

/// <summary>
/// The tamper-evident form of a record. A line is <c>{…,"prev":"P","hash":"H"}</c> where H is the
/// SHA-256 of the canonical form, the same line without its <c>,"hash":"H"</c> member, and P is the
/// previous record's H (64 zeros for the first record). Editing a line breaks its H; deleting or
/// reordering lines breaks the next record's P.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private static readonly byte[] HashMember = Encoding.ASCII.GetBytes(",\"hash\":\"");

    /// <summary>Length of the <c>,"hash":"…"}</c> tail.</summary>
    private static readonly int TailLength = HashMember.Length + 64 + 2;

    /// <summary>Hash of a canonical record (a complete JSON object ending in '}').</summary>
    public static string Hash(ReadOnlySpan<byte> canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    /// <summary>Appends the hash member to a canonical record: replaces the final '}' with ,"hash":"H"}.</summary>
    internal static void AppendHash(List<byte> line, ReadOnlySpan<byte> canonical, out string hash)
    {
        hash = Hash(canonical);
        line.AddRange(canonical[..^1]);
        line.AddRange(HashMember);
        line.AddRange(Encoding.ASCII.GetBytes(hash));
        line.Add((byte)'"');
        line.Add((byte)'}');
    }

    /// <summary>
    /// Splits a stored line into its canonical form and its stated hash. Returns false when the line
    /// does not end in a well-formed hash member.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out byte[] canonical, out string statedHash)
    {
        canonical = [];
        statedHash = string.Empty;
        if (line.Length <= TailLength || line[^1] != (byte)'}' || line[^2] != (byte)'"')
        {
            return false;
        }

        var member = line.Slice(line.Length - TailLength, HashMember.Length);
        if (!member.SequenceEqual(HashMember))
        {
            return false;
        }

        var hex = line.Slice(line.Length - 66, 64);
        foreach (var b in hex)
        {
            if (!char.IsAsciiHexDigitLower((char)b))
            {
                return false;
            }
        }

        statedHash = Encoding.ASCII.GetString(hex);
        canonical = new byte[line.Length - TailLength + 1];
        line[..(line.Length - TailLength)].CopyTo(canonical);
        canonical[^1] = (byte)'}';
        return true;
    }
}
