using System.Security.Cryptography;

namespace ModelMonitor.Audit;

/// <summary>
/// Time-sortable record ids: 12 hex digits of Unix milliseconds, 4 of a sequence within the
/// millisecond, 16 random. Issued by the single writer, so ids increase in file order and sort as
/// text in time order.
/// </summary>
public sealed class AuditIds
{
    /// <summary>
    /// The time an id was issued, when it has the form of an id (32 lowercase hex digits) and a time
    /// <see cref="DateTimeOffset"/> can hold. Record ids are issued by the store; anything else is not one.
    /// </summary>
    public static bool TryParseTime(string? id, out DateTimeOffset issued)
    {
        issued = default;
        if (id is not { Length: 32 } || !id.All(char.IsAsciiHexDigitLower)
            || !long.TryParse(id.AsSpan(0, 12), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        issued = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private long lastMilliseconds = -1;
    private int sequence;

    /// <summary>Ids never go backwards, even across a restart, as long as they start after the newest stored id.</summary>
    public void StartAfter(string? newestId)
    {
        if (newestId is { Length: >= 16 } && long.TryParse(newestId.AsSpan(0, 12), System.Globalization.NumberStyles.HexNumber, null, out var ms)
            && int.TryParse(newestId.AsSpan(12, 4), System.Globalization.NumberStyles.HexNumber, null, out var seq))
        {
            lastMilliseconds = ms;
            sequence = seq;
        }
    }

    public string Next(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        if (ms > lastMilliseconds)
        {
            lastMilliseconds = ms;
            sequence = 0;
        }
        else if (++sequence > 0xFFFF)
        {
            // More than 65,536 records in one millisecond: borrow the next millisecond.
            lastMilliseconds++;
            sequence = 0;
        }

        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return $"{lastMilliseconds:x12}{sequence:x4}{Convert.ToHexStringLower(random)}";
    }
}
