using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FastLog.Broker.Network;

/// <summary>A listener of the broker: a name (Kafka's listener name) and the address it binds.</summary>
public sealed record ListenerBinding(string Name, IPEndPoint EndPoint);

/// <summary>
/// Accepts connections on every listener and runs each connection until it or the server closes.
/// A connection's failure is its own: it is logged in one line and the others keep being served.
/// </summary>
public sealed class KafkaServer : IAsyncDisposable
{
    private readonly IRequestProcessor _processor;
    private readonly ConnectionLimits _limits;
    private readonly Action<string> _log;
    private readonly bool _zeroCopyFetch;
    private readonly Metrics.RequestMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Socket, string Name)> _listeners = [];
    private readonly ConcurrentDictionary<ClientConnection, Task> _connections = new();
    private readonly List<Task> _acceptLoops = [];
    private Timer? _idleSweep;

    /// <param name="zeroCopyFetch">socket.fetch.zero.copy: send fetched records with sendfile (plaintext listeners), or copy them.</param>
    /// <param name="metrics">Where each request's time to answer is recorded, or null.</param>
    public KafkaServer(IRequestProcessor processor, ConnectionLimits limits, Action<string> log, bool zeroCopyFetch = true, Metrics.RequestMetrics? metrics = null)
    {
        _metrics = metrics;
        _zeroCopyFetch = zeroCopyFetch;
        _processor = processor;
        _limits = limits;
        _log = log;
    }

    /// <summary>The bound addresses, in listener order (port 0 in the config becomes the real port here).</summary>
    public IReadOnlyList<(string Name, IPEndPoint EndPoint)> BoundEndPoints =>
        [.. _listeners.Select(l => (l.Name, (IPEndPoint)l.Socket.LocalEndPoint!))];

    public int ConnectionCount => _connections.Count;

    public void Start(IEnumerable<ListenerBinding> listeners)
    {
        foreach (var listener in listeners)
        {
            var socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }
            socket.Bind(listener.EndPoint);
            socket.Listen(512);
            _listeners.Add((socket, listener.Name));
        }
        foreach (var (socket, name) in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(socket, name));
        }
        if (_limits.MaxIdleMs >= 0) // -1: idle connections are never closed, as in Kafka
        {
            var sweepEvery = TimeSpan.FromMilliseconds(Math.Clamp(_limits.MaxIdleMs / 4, 100, 10_000));
            _idleSweep = new Timer(_ => CloseIdle(), null, sweepEvery, sweepEvery);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_idleSweep is not null)
        {
            await _idleSweep.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var (socket, _) in _listeners)
        {
            socket.Dispose();
        }
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var connection in _connections.Keys)
        {
            connection.Close("broker shutting down");
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
    }

    private async Task AcceptLoopAsync(Socket listener, string name)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                _log($"accept on listener {name} failed: {e.Message}");
                continue;
            }
            ClientConnection connection;
            try
            {
                socket.NoDelay = true; // responses are whole frames; Nagle only adds latency
                if (_limits.SendBufferBytes > 0)
                {
                    socket.SendBufferSize = _limits.SendBufferBytes;
                }
                if (_limits.ReceiveBufferBytes > 0)
                {
                    socket.ReceiveBufferSize = _limits.ReceiveBufferBytes;
                }
                connection = new ClientConnection(socket, _processor, _limits, name, _log, _zeroCopyFetch, _metrics);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client went away between connecting and being set up: its failure, not the listener's.
                _log($"connection on listener {name} dropped while being set up: {e.Message}");
                socket.Dispose();
                continue;
            }
            _connections[connection] = RunConnectionAsync(connection);
        }
    }

    private async Task RunConnectionAsync(ClientConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log($"connection from {connection.RemoteEndPoint} failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    private void CloseIdle()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            if (connection.IsIdle(now))
            {
                connection.Close($"idle for more than {_limits.MaxIdleMs} ms (connections.max.idle.ms)");
            }
        }
    }
}
