using System.Globalization;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.History;
using ModelMonitor.Service.Http;

namespace ModelMonitor.Service.Endpoints;

/// <summary>Reads the query strings of GET /drift/history and GET /traffic/history; every mistake is a 400 that names it.</summary>
internal static class HistoryQueryParser
{
    public const int DefaultTrafficBuckets = 96;

    /// <summary>The traffic range when none is given: the last day.</summary>
    public static readonly TimeSpan DefaultTrafficRange = TimeSpan.FromDays(1);

    /// <summary>Record times are Unix milliseconds, so none is older than 1970; the end keeps day arithmetic in range.</summary>
    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;

    private static readonly DateTimeOffset Latest = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    public static (HistoryQuery? Query, Rejection? Rejection) History(IQueryCollection q)
    {
        var (from, to, bad) = Range(q);
        if (bad is not null)
        {
            return (null, bad);
        }

        var limit = HistoryQuery.DefaultLimit;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > HistoryQuery.MaxLimit))
        {
            return (null, Rejection.BadRequest($"'limit' must be a whole number from 1 to {HistoryQuery.MaxLimit}; got '{limitText}'."));
        }

        int? maxPoints = null;
        if (q.TryGetValue("max_points", out var maxText))
        {
            if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max is < HistoryQuery.MinMaxPoints or > HistoryQuery.MaxMaxPoints)
            {
                return (null, Rejection.BadRequest($"'max_points' must be a whole number from {HistoryQuery.MinMaxPoints} to {HistoryQuery.MaxMaxPoints}; got '{maxText}'."));
            }

            maxPoints = max;
        }

        string? cursor = null;
        if (q.TryGetValue("cursor", out var cursorText))
        {
            cursor = cursorText.ToString();
            if (!AuditIds.TryParseTime(cursor, out _))
            {
                return (null, Rejection.BadRequest($"'cursor' must be the next_cursor of an earlier page (an audit record id); got '{cursor}'."));
            }

            if (maxPoints is not null)
            {
                return (null, Rejection.BadRequest("'cursor' pages the full series and 'max_points' downsamples the whole range in one answer: use one or the other."));
            }
        }

        var detail = q.TryGetValue("detail", out var detailText) ? detailText.ToString() : "full";
        if (detail is not ("full" or "summary"))
        {
            return (null, Rejection.BadRequest($"'detail' must be 'full' (each evaluation with its features) or 'summary' (without); got '{detail}'."));
        }

        return (new HistoryQuery { From = from, To = to, Limit = limit, Cursor = cursor, MaxPoints = maxPoints, Features = detail == "full" }, null);
    }

    public static (DateTimeOffset From, DateTimeOffset To, int Buckets, Rejection? Rejection) Traffic(IQueryCollection q, DateTimeOffset now)
    {
        var (from, to, bad) = Range(q);
        if (bad is not null)
        {
            return (default, default, 0, bad);
        }

        var end = to ?? now;
        var start = from ?? end - DefaultTrafficRange;
        if (end <= start)
        {
            return (default, default, 0, Rejection.BadRequest($"The range is empty: 'to' ({end:O}) must come after 'from' ({start:O})."));
        }

        var buckets = DefaultTrafficBuckets;
        if (q.TryGetValue("buckets", out var bucketsText) && (!int.TryParse(bucketsText, NumberStyles.None, CultureInfo.InvariantCulture, out buckets) || buckets is < 1 or > TrafficHistory.MaxBuckets))
        {
            return (default, default, 0, Rejection.BadRequest($"'buckets' must be a whole number from 1 to {TrafficHistory.MaxBuckets}; got '{bucketsText}'."));
        }

        return (start, end, buckets, null);
    }

    private static (DateTimeOffset? From, DateTimeOffset? To, Rejection? Rejection) Range(IQueryCollection q)
    {
        DateTimeOffset? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateTimeOffset>)[] { ("from", v => from = v), ("to", v => to = v) })
        {
            if (!q.TryGetValue(name, out var text))
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) || value < Earliest || value > Latest)
            {
                return (null, null, Rejection.BadRequest($"'{name}' must be an ISO 8601 time from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}; got '{text}'."));
            }

            set(value);
        }

        if (from is { } f && to is { } t && t <= f)
        {
            return (null, null, Rejection.BadRequest($"The range is empty: 'to' ({t:O}) must come after 'from' ({f:O})."));
        }

        return (from, to, null);
    }
}
