using System.Net;
using System.Net.Sockets;

namespace ModelMonitor.Service.Tests.Alerts;

/// <summary>
/// A server that accepts TCP connections and never says a word: no greeting, no reply, no close,
/// the way a wedged SMTP server or a black-holing middlebox behaves. After <see cref="RelayTo"/>,
/// new connections are passed through to a working server on the same address, so a test can see
/// whether a client that was stuck here goes on.
/// </summary>
public sealed class HangingSmtpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> held = [];
    private int relayPort;
    private int accepted;

    public HangingSmtpServer()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far (held silent or relayed).</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>From now on, pass new connections through to the server on this port.</summary>
    public void RelayTo(int port) => Volatile.Write(ref relayPort, port);

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        lock (held)
        {
            foreach (var client in held)
            {
                client.Dispose();
            }
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref accepted);
            lock (held)
            {
                held.Add(client);
            }

            if (Volatile.Read(ref relayPort) is var port and > 0)
            {
                _ = RelayAsync(client, port);
            }
        }
    }

    private async Task RelayAsync(TcpClient client, int port)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, port, stopping.Token);
            var down = client.GetStream();
            var up = upstream.GetStream();
            var first = await Task.WhenAny(down.CopyToAsync(up, stopping.Token), up.CopyToAsync(down, stopping.Token));
            await first;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The test is over, or one side hung up.
        }
        finally
        {
            client.Dispose();
        }
    }
}
