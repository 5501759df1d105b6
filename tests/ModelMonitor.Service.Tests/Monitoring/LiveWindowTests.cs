using ModelMonitor.Monitoring.Features;
using ModelMonitor.Service.Monitoring;

namespace ModelMonitor.Service.Tests.Monitoring;

public class LiveWindowTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TextFeatureVector[] Vectors(int count, double chars = 10) => [.. Enumerable.Repeat(new TextFeatureVector(chars, 4, 0, 0, false, 1, 0.9, 0.8, 0.4), count)];

    [Fact]
    public void The_window_keeps_the_latest_predictions_up_to_its_size()
    {
        var window = new LiveWindow(3, null, TimeProvider.System);
        window.Add(["a", "b"], Vectors(2, chars: 1), Start);
        window.Add(["c", "d"], Vectors(2, chars: 2), Start);
        var (sample, _) = window.Snapshot();
        Assert.Equal([1.0, 2, 2], sample.Vectors.Select(v => v.CharLength));
        Assert.Equal(FeedbackJoin.NotInWindow, window.Join("a", 0));
        Assert.Equal(FeedbackJoin.Joined, window.Join("d", 0));
        Assert.Equal([-1, -1, 0], window.Snapshot().Sample.Truth);
    }

    [Fact]
    public void A_snapshot_marks_the_predictions_a_live_reference_was_made_of()
    {
        var window = new LiveWindow(10, null, TimeProvider.System);
        var first = window.Add(["a", "b", "c"], Vectors(3, chars: 1), Start);
        var next = window.Add(["d", "e", "f"], Vectors(3, chars: 2), Start);
        Assert.Equal((1, 4), (first, next));

        // Through 2 made a reference; through 4 the score reference.
        var (sample, last) = window.Snapshot(after: 2, scoresAfter: 4);
        Assert.Equal(6, last);
        Assert.Equal([1.0, 1, 1, 2, 2, 2], sample.Vectors.Select(v => v.CharLength));
        Assert.Equal((2, 4), (sample.FeatureFrom, sample.ScoreFrom));
        Assert.Equal((4, 2), (sample.Judged, sample.ScoreJudged));
        Assert.Equal(4, window.SequenceOf("d"));
        Assert.Null(window.SequenceOf("z"));
        Assert.Equal(6, window.SequenceAt(Start));
        Assert.Equal(0, window.SequenceAt(Start.AddSeconds(-1)));
    }

    [Fact]
    public void A_time_bounded_window_drops_predictions_older_than_its_span()
    {
        var time = new ManualTime(Start);
        var window = new LiveWindow(100, TimeSpan.FromMinutes(10), time);
        window.Add(["old"], Vectors(1), Start);
        window.Add(["new"], Vectors(1), Start.AddMinutes(6));
        Assert.Equal(2, window.Count);
        time.Now = Start.AddMinutes(11);
        var (sample, _) = window.Snapshot();
        Assert.Single(sample.Vectors);
        Assert.Equal(Start.AddMinutes(6), sample.From);
        Assert.Equal(FeedbackJoin.NotInWindow, window.Join("old", 1));
        time.Now = Start.AddMinutes(17);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Predictions_without_ids_still_count_but_cannot_be_joined()
    {
        var window = new LiveWindow(10, null, TimeProvider.System);
        window.Add(null, Vectors(4), Start);
        Assert.Equal(4, window.Snapshot().Sample.Vectors.Count);
        Assert.Equal(0, window.Snapshot().Sample.Labelled);
    }
}
