namespace ModelMonitor.Service.Options;

/// <summary>The built-in dashboard, GET /dashboard (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Off: GET /dashboard answers 404 (the history endpoints stay: they are part of the API).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between the page's refreshes while it is open; 0 turns automatic refresh off.</summary>
    public int RefreshSeconds { get; set; } = 15;

    /// <summary>The time range the page shows when it opens, in hours; 0 shows everything in the audit trail.</summary>
    public int RangeHours { get; set; } = 24;

    /// <summary>The most evaluation points the page asks /drift/history for (the range is downsampled to fit).</summary>
    public int MaxPoints { get; set; } = 300;

    /// <summary>Time buckets the page asks /traffic/history for (prediction volume, label mix).</summary>
    public int TrafficBuckets { get; set; } = 96;
}
