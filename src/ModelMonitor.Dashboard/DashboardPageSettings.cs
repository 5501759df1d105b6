namespace ModelMonitor.Dashboard;

/// <summary>
/// What the live page is told when it is served: how often it refreshes (seconds; 0: never), the
/// time range it shows first (hours; 0: everything), the most evaluation points it asks
/// /drift/history for, and how many buckets it asks /traffic/history for.
/// </summary>
public sealed record DashboardPageSettings(int RefreshSeconds, int RangeHours, int MaxPoints, int TrafficBuckets);
