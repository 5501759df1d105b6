using System.Text.Json;

namespace ModelMonitor.Service.Contracts;

/// <summary>A page of audit records (as stored) and the cursor for the next page, null at the end.</summary>
public sealed record AuditListResponse(IReadOnlyList<JsonElement> Records, string? NextCursor);

/// <summary>The result of walking the audit store's hash chain.</summary>
/// <summary>
/// The result of walking the audit store's hash chain. <c>Losses</c> lists the recovery records: repairs
/// the store made at startup (a torn tail, records cut from the end), which stay listed for good.
/// </summary>
public sealed record AuditVerifyResponse(bool Ok, int Segments, long Records, string LastHash, AuditBreak? FirstBreak, IReadOnlyList<AuditLoss> Losses);

public sealed record AuditLoss(string Segment, int Line, string RecordId, DateTimeOffset At, string Repair, long RecordsLost, long BytesLost, string Detail);

public sealed record AuditBreak(string Segment, int Line, string? RecordId, string Reason);
