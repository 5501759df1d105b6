using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Reports;

namespace ModelMonitor.Monitoring.History;

/// <summary>
/// The series of drift evaluations, read from the audit trail's <c>drift_evaluation</c> records,
/// so it reaches back across restarts. Only evaluation records are parsed: the other records
/// (predictions, mostly) are skipped on their envelope, and segments outside the range are not read.
/// </summary>
public static class DriftHistory
{
    /// <summary>How long before a cursor's time a later evaluation's own time could fall (generous: they are the same moment).</summary>
    private static readonly TimeSpan CursorSlack = TimeSpan.FromDays(1);

    public static HistoryPage Read(string directory, HistoryQuery query) => Read(new FileAuditSource(directory), query);

    public static HistoryPage Read(IAuditSource source, HistoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(query);
        var from = query.From;

        // Ids are issued in time order: a page after a cursor need not read the days before it.
        if (query.Cursor is not null && AuditIds.TryParseTime(query.Cursor, out var cursorTime) && (from is null || cursorTime - CursorSlack > from))
        {
            from = cursorTime - CursorSlack;
        }

        var downsampler = query.MaxPoints is { } maxPoints ? new HistoryDownsampler(maxPoints, query.From, query.To) : null;
        var page = new List<HistoryPoint>();
        HistoryPoint? latest = null;
        var more = false;
        foreach (var record in source.Export(from, query.To, [MonitoringAuditRecords.EvaluationKind]))
        {
            if (query.Cursor is not null && string.CompareOrdinal(record.Id, query.Cursor) <= 0)
            {
                continue;
            }

            if (EvaluationRecordReader.Read(record) is not { } point)
            {
                continue;
            }

            if (downsampler is not null)
            {
                downsampler.Add(point);
                if (!point.Skipped || latest is null || latest.Skipped)
                {
                    latest = point; // the newest that judged the window, or the newest if none did
                }

                continue;
            }

            if (page.Count == query.Limit)
            {
                more = true;
                break;
            }

            page.Add(point);
        }

        IReadOnlyList<HistoryPoint> points = downsampler is null ? page : downsampler.Points;
        if (!query.Features)
        {
            points = [.. points.Select(p => p with { Features = [], LabelMix = null })];
        }

        return downsampler is null
            ? new HistoryPage(points, more ? page[^1].Id : null, null, null)
            : new HistoryPage(points, null, latest, downsampler.Summary);
    }
}
