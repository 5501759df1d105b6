using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Audit;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Http;
using ModelMonitor.Service.Security;

namespace ModelMonitor.Service.Endpoints;

/// <summary>GET /audit (filtered, paged), GET /audit/{id} and GET /audit/verify. Reads never block the writer.</summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        // Records hold raw input texts: reading them needs a key once any key is configured.
        var group = app.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.AuditRead)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("", List).WithName("AuditList").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/verify", Verify).WithName("AuditVerify");
        group.MapGet("/{id}", Get).WithName("AuditGet");
        return app;
    }

    internal static Results<Ok<AuditListResponse>, ProblemHttpResult> List(HttpContext context, AuditTrail audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Audit");
        if (audit.Source is not { } source)
        {
            return Disabled(context, logger);
        }

        var (query, rejection) = ParseQuery(context.Request.Query);
        if (rejection is not null)
        {
            return Problems.From(context, rejection, logger);
        }

        var page = source.Query(query!);
        var records = page.Records.Select(r => JsonDocument.Parse(r.Json).RootElement.Clone()).ToArray();
        return TypedResults.Ok(new AuditListResponse(records, page.NextCursor));
    }

    internal static Results<Ok<JsonElement>, ProblemHttpResult> Get(string id, HttpContext context, AuditTrail audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ModelMonitor.Audit");
        if (audit.Source is null)
        {
            return Disabled(context, logger);
        }

        var record = audit.Find(id);
        return record is null
            ? Problems.From(context, new Rejection(StatusCodes.Status404NotFound, "Not found", $"No audit record has id '{id}'."), logger)
            : TypedResults.Ok(JsonDocument.Parse(record.Json).RootElement.Clone());
    }

    internal static Results<Ok<AuditVerifyResponse>, ProblemHttpResult> Verify(HttpContext context, AuditTrail audit, ILoggerFactory loggers)
    {
        if (audit.Source is not { } source)
        {
            return Disabled(context, loggers.CreateLogger("ModelMonitor.Audit"));
        }

        var result = source.Verify();
        var broken = result.FirstBreak is { } b ? new AuditBreak(b.Segment, b.Line, b.RecordId, b.Reason) : null;
        var losses = result.Losses.Select(l => new AuditLoss(l.Segment, l.Line, l.RecordId, l.At, l.Repair, l.RecordsLost, l.BytesLost, l.Detail)).ToArray();
        return TypedResults.Ok(new AuditVerifyResponse(result.Ok, result.Segments, result.Records, result.LastHash, broken, losses));
    }

    private static ProblemHttpResult Disabled(HttpContext context, ILogger logger) =>
        Problems.From(context, new Rejection(StatusCodes.Status404NotFound, "Auditing is disabled", "The audit trail is off (Audit:Enabled=false)."), logger);

    /// <summary>Record ids are Unix-millisecond times, so no record can be older than 1970; the end keeps day arithmetic in range.</summary>
    private static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;

    private static readonly DateTimeOffset LatestTime = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    private static bool InStoreRange(DateTimeOffset time) => time >= EarliestTime && time <= LatestTime;

    private static (AuditQuery? Query, Rejection? Rejection) ParseQuery(IQueryCollection q)
    {
        DateTimeOffset? from = null, to = null;
        if (q.TryGetValue("from", out var fromText))
        {
            if (!DateTimeOffset.TryParse(fromText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) || !InStoreRange(value))
            {
                return (null, Rejection.BadRequest($"'from' must be an ISO 8601 time from {EarliestTime:yyyy-MM-dd} to {LatestTime:yyyy-MM-dd}; got '{fromText}'."));
            }

            from = value;
        }

        if (q.TryGetValue("to", out var toText))
        {
            if (!DateTimeOffset.TryParse(toText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) || !InStoreRange(value))
            {
                return (null, Rejection.BadRequest($"'to' must be an ISO 8601 time from {EarliestTime:yyyy-MM-dd} to {LatestTime:yyyy-MM-dd}; got '{toText}'."));
            }

            to = value;
        }

        var limit = 100;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return (null, Rejection.BadRequest($"'limit' must be a whole number from 1 to 1000; got '{limitText}'."));
        }

        var order = q.TryGetValue("order", out var orderText) ? orderText.ToString() : "desc";
        if (order is not ("desc" or "asc"))
        {
            return (null, Rejection.BadRequest($"'order' must be 'desc' (newest first) or 'asc'; got '{order}'."));
        }

        return (new AuditQuery
        {
            From = from,
            To = to,
            Kind = q.TryGetValue("kind", out var kind) ? kind.ToString() : null,
            Label = q.TryGetValue("label", out var label) ? label.ToString() : null,
            RequestId = q.TryGetValue("request_id", out var request) ? request.ToString() : null,
            NewestFirst = order == "desc",
            Limit = limit,
            Cursor = q.TryGetValue("cursor", out var cursor) ? cursor.ToString() : null,
        }, null);
    }
}
