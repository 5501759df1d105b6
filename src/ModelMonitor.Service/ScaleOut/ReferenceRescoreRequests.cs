using System.Threading.Channels;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Another replica went back to the configured reference file: this replica scores the file too.
/// The monitor's writer only asks (it cannot score on its loop); <see cref="ReferenceRescoreService"/>
/// scores. One pending request is enough, as every request names the same file.
/// </summary>
internal sealed class ReferenceRescoreRequests
{
    private readonly Channel<string> requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public ChannelReader<string> Reader => requests.Reader;

    public void Request(string path) => requests.Writer.TryWrite(path);
}
