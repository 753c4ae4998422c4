using System.Net;
using System.Net.Sockets;

namespace Abitly.Bot.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy a test can cut: while down it refuses new connections and drops the open ones, as a restarting
/// PostgreSQL does; brought back up, it forwards again.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private volatile bool _down;
    private Task? _accepting;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Refuses new connections and cuts the open ones.</summary>
    public void Down()
    {
        _down = true;
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Up() => _down = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Down();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            if (_down)
            {
                incoming.Dispose();
                continue;
            }

            _ = Task.Run(() => ForwardAsync(incoming));
        }
    }

    private async Task ForwardAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(_targetHost, _targetPort);
            lock (_gate)
            {
                _open.Add(incoming);
                _open.Add(outgoing);
            }

            var a = incoming.GetStream().CopyToAsync(outgoing.GetStream());
            var b = outgoing.GetStream().CopyToAsync(incoming.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
            // A cut connection ends here.
        }
        finally
        {
            incoming.Dispose();
            outgoing.Dispose();
        }
    }
}
