using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.History;

namespace ModelMonitor.Monitoring.Tests.History;

public sealed class HistoryDownsamplerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static HistoryPoint Point(int i, DateTimeOffset at, Severity severity, bool skipped = false) =>
        new($"id{i:D6}", i, at, skipped, skipped ? "too few" : null, severity, "none", 100, 0, null, null, null, [], [], null, [], null);

    [Fact]
    public void Under_the_limit_no_point_merges_however_close_in_time()
    {
        var downsampler = new HistoryDownsampler(10, null, null);
        var points = Enumerable.Range(0, 10).Select(i => Point(i, Start.AddTicks(i), Severity.None)).ToArray();
        foreach (var point in points)
        {
            downsampler.Add(point);
        }

        Assert.Equal(points.Select(p => p.Id), downsampler.Points.Select(p => p.Id));
        Assert.All(downsampler.Points, p => Assert.Equal(1, p.Represents));
    }

    [Fact]
    public void Over_the_limit_every_bucket_keeps_its_worst_so_a_lone_spike_survives()
    {
        var downsampler = new HistoryDownsampler(50, null, null);
        for (var i = 0; i < 10_000; i++)
        {
            var severity = i == 6_543 ? Severity.Critical : i % 100 == 0 ? Severity.Low : Severity.None;
            downsampler.Add(Point(i, Start.AddMinutes(i), severity, skipped: i % 7 == 0));
        }

        var points = downsampler.Points;
        Assert.InRange(points.Count, 25, 50);
        Assert.Equal(10_000, points.Sum(p => p.Represents));
        Assert.Equal(10_000, downsampler.Summary.Evaluations);
        Assert.Contains(points, p => p.Id == "id006543");
        Assert.All(points, p => Assert.Equal(p.Id == "id006543" ? Severity.Critical : Severity.Low, p.Severity));
        Assert.Equal(points.OrderBy(p => p.At), points);
    }

    [Fact]
    public void Of_equally_bad_evaluations_the_latest_is_kept_and_a_skipped_one_ranks_below_any_judged()
    {
        var downsampler = new HistoryDownsampler(2, Start, Start.AddMinutes(2));
        downsampler.Add(Point(1, Start, Severity.Medium));
        downsampler.Add(Point(2, Start.AddSeconds(10), Severity.Medium));
        downsampler.Add(Point(3, Start.AddSeconds(20), Severity.None, skipped: true));
        downsampler.Add(Point(4, Start.AddMinutes(1).AddSeconds(5), Severity.None, skipped: true));
        downsampler.Add(Point(5, Start.AddMinutes(1).AddSeconds(6), Severity.None));

        Assert.Equal(["id000002", "id000005"], downsampler.Points.Select(p => p.Id));
        Assert.Equal([3, 2], downsampler.Points.Select(p => p.Represents));
        Assert.Equal(60.0, downsampler.Summary.BucketSeconds, 1e-6);
    }
}
