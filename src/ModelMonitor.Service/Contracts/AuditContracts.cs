using System.Text.Json;

namespace ModelMonitor.Service.Contracts;

/// <summary>A page of audit records (as stored) and the cursor for the next page, null at the end.</summary>
public sealed record AuditListResponse(IReadOnlyList<JsonElement> Records, string? NextCursor);

/// <summary>The result of walking the audit store's hash chain.</summary>
public sealed record AuditVerifyResponse(bool Ok, int Segments, long Records, string LastHash, AuditBreak? FirstBreak);

public sealed record AuditBreak(string Segment, int Line, string? RecordId, string Reason);
