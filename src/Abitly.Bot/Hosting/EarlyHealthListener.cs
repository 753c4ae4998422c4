using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Abitly.Bot.Hosting;

/// <summary>
/// Answers /healthcheck on PORT from the first milliseconds of the process, while the web host is still being built
/// (runtime-flows.txt: health comes up first). The host's Kestrel then listens on the same socket, so the port is never
/// closed in between: connections made during the handover wait in the socket's backlog for Kestrel.
/// </summary>
internal sealed class EarlyHealthListener
{
    private static readonly byte[] Healthy = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK");

    private static readonly byte[] Starting = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 8\r\nConnection: close\r\n\r\nstarting");

    // Handed-over sockets stay referenced for the life of the process: their descriptor is Kestrel's now, and a collected
    // Socket would close it under Kestrel.
    private static readonly List<Socket> HandedOver = [];

    private readonly Socket _socket;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private EarlyHealthListener(Socket socket)
    {
        _socket = socket;
        // A thread of its own with blocking calls: the socket must never be registered with the runtime's epoll, where
        // Kestrel's own Socket over the same descriptor registers it.
        _thread = new Thread(Serve) { IsBackground = true, Name = "early /healthcheck" };
        _thread.Start();
    }

    /// <summary>Listens on 0.0.0.0:<paramref name="port"/>, or null where it cannot (then Kestrel binds the port itself, as before).</summary>
    public static EarlyHealthListener? TryStart(int port)
    {
        // An ephemeral port would have to be reported; only a configured one is taken early.
        if (port == 0)
        {
            return null;
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.Listen(512);
            return new EarlyHealthListener(socket);
        }
        catch (SocketException)
        {
            // The port is taken: Kestrel's own bind reports it the way it always has.
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Stops answering (connections made from now on wait in the backlog) and gives the listening socket's descriptor to
    /// Kestrel's ListenHandle.
    /// </summary>
    public ulong HandOver()
    {
        _stopping = true;
        _thread.Join();
        lock (HandedOver)
        {
            HandedOver.Add(_socket);
        }

        return (ulong)_socket.Handle;
    }

    /// <summary>Stops answering and closes the socket, when the host is not going to take it over.</summary>
    public void Close()
    {
        _stopping = true;
        _thread.Join();
        _socket.Dispose();
    }

    private void Serve()
    {
        while (!_stopping)
        {
            try
            {
                // Short waits, so a handover is never held up for long.
                if (!_socket.Poll(TimeSpan.FromMilliseconds(10), SelectMode.SelectRead))
                {
                    continue;
                }

                using var client = _socket.Accept();
                Answer(client);
            }
            catch (SocketException)
            {
                // A client that went away, or sent nothing in time: nothing to answer.
            }
        }
    }

    /// <summary>GET /healthcheck gets 200 "OK", as from the host's endpoint; anything else 503 until the host is up.</summary>
    private static void Answer(Socket client)
    {
        client.ReceiveTimeout = 1000;
        client.SendTimeout = 1000;
        var buffer = new byte[2048];
        var length = 0;
        while (length < buffer.Length && buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
        {
            var read = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0)
            {
                return;
            }

            length += read;
        }

        var request = buffer.AsSpan(0, length);
        var health = request.StartsWith("GET /healthcheck "u8) || request.StartsWith("GET /healthcheck?"u8);
        client.Send(health ? Healthy : Starting);
        client.Shutdown(SocketShutdown.Send);
    }
}
