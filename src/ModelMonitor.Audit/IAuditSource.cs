namespace ModelMonitor.Audit;

/// <summary>
/// Reading a store, whichever it is: the JSON Lines segments of a directory
/// (<see cref="FileAuditSource"/>) or a database. Every record is the same JSON line in both.
/// </summary>
public interface IAuditSource
{
    /// <summary>Where the records are, for messages (a directory, or a database and its host).</summary>
    string Description { get; }

    /// <summary>Whether the store exists at all (a directory that was never created holds nothing to replay).</summary>
    bool Exists { get; }

    /// <summary>A filtered page of records; the cursor is the last id already seen.</summary>
    AuditPage Query(AuditQuery query);

    /// <summary>The record with this id, or null for an unknown or malformed id.</summary>
    AuditRecordView? Find(string id);

    /// <summary>Whether a record with this id and kind exists.</summary>
    bool Contains(string id, string kind);

    /// <summary>Every record with since ≤ ts &lt; until (of one of <paramref name="kinds"/> when given), oldest first.</summary>
    IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null);

    /// <summary>Every stored line of one of <paramref name="kinds"/> with since ≤ ts &lt; until, oldest first, with only its envelope read.</summary>
    IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds);

    /// <summary>Checks every record's hash and every link of every chain the store holds.</summary>
    VerificationResult Verify();
}
