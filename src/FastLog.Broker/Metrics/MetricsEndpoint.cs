using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastLog.Broker.Metrics;

/// <summary>
/// Serves <c>GET /metrics</c> over plain HTTP on metrics.listener (host:port, port 0 picks a free one), for
/// Prometheus or a load run. One request at a time on one task: scrapes are rare and small. Anything but a GET
/// of /metrics gets 404; a malformed request is closed.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 8192;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly BrokerMetrics _metrics;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MetricsEndpoint(IPEndPoint endPoint, BrokerMetrics metrics, Action<string> log)
    {
        _metrics = metrics;
        _log = log;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                continue;
            }
            using (client)
            {
                try
                {
                    await AnswerAsync(client).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
                {
                    _log($"metrics request from {client.RemoteEndPoint} failed: {e.Message}");
                }
            }
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(RequestTimeout);
        var head = new byte[MaxRequestHeadBytes];
        var length = 0;
        while (length < head.Length && head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
        {
            var read = await client.ReceiveAsync(head.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }
            length += read;
        }
        // Rendering walks every device and partition: not on the socket event thread, which the server lets run
        // socket continuations (inline socket completions) and every connection shares.
        await Task.Yield();
        var requestLine = Encoding.ASCII.GetString(head, 0, Math.Max(0, head.AsSpan(0, length).IndexOf("\r\n"u8)));
        var found = requestLine.StartsWith("GET /metrics ", StringComparison.Ordinal) || requestLine.StartsWith("GET /metrics?", StringComparison.Ordinal);
        var body = found ? _metrics.Render() : "not found: the metrics are at /metrics\n";
        var bytes = Encoding.UTF8.GetBytes(body);
        var response = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await client.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        await client.SendAsync(bytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
