using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FastLog.Broker.Tests.Support;

/// <summary>
/// A TCP proxy in front of a broker that records every request frame clients send, so tests can check our
/// decoders against the exact bytes real clients produce.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _brokerPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    /// <summary>Listens at once; <see cref="BrokerPort"/> is set once the broker (advertising this proxy) runs.</summary>
    public RecordingProxy()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int BrokerPort
    {
        get => Volatile.Read(ref _brokerPort);
        set => Volatile.Write(ref _brokerPort, value);
    }

    public List<byte[]> Requests { get; } = [];

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(_pumps.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var broker = new TcpClient();
            await broker.ConnectAsync(IPAddress.Loopback, BrokerPort, _stop.Token);
            lock (_pumps)
            {
                _pumps.Add(RecordRequestsAsync(client, broker));
                _pumps.Add(CopyAsync(broker.GetStream(), client.GetStream(), client, broker));
            }
        }
    }

    private async Task RecordRequestsAsync(TcpClient client, TcpClient broker)
    {
        var from = client.GetStream();
        var to = broker.GetStream();
        var size = new byte[4];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(size, _stop.Token);
                var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await from.ReadExactlyAsync(frame, _stop.Token);
                lock (Requests)
                {
                    Requests.Add(frame);
                }
                await to.WriteAsync(size, _stop.Token);
                await to.WriteAsync(frame, _stop.Token);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            broker.Dispose();
        }
    }

    private async Task CopyAsync(Stream from, Stream to, TcpClient client, TcpClient broker)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            broker.Dispose();
        }
    }
}
