using System.Threading.Channels;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Another replica went back to the configured reference file: this replica scores the file too.
/// The monitor's writer only asks (it cannot score on its loop); <see cref="ReferenceRescoreService"/>
/// scores. One pending request is enough, as every request names the same file; the latest's time is kept.
/// </summary>
internal sealed class ReferenceRescoreRequests
{
    private readonly Channel<(string Path, DateTimeOffset CreatedAt)> requests = Channel.CreateBounded<(string, DateTimeOffset)>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<(string Path, DateTimeOffset CreatedAt)> Reader => requests.Reader;

    /// <summary>Score <paramref name="path"/> as the reference another replica made at <paramref name="createdAt"/> (the latest request wins).</summary>
    public void Request(string path, DateTimeOffset createdAt) => requests.Writer.TryWrite((path, createdAt));
}
