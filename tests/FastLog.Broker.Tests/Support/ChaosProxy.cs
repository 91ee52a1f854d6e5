using System.Net;
using System.Net.Sockets;

namespace FastLog.Broker.Tests.Support;

/// <summary>
/// A TCP proxy in front of a broker that cuts connections at random points. It forwards bytes both ways and,
/// once a random number of bytes has passed (counted over all connections), cuts the connection that
/// carries the next byte, closing both sides. Half the cuts (a seeded coin decides) fall exactly there,
/// anywhere inside a request; the other half let that data through and cut as the broker's next response
/// starts back: the broker has executed a request its client never hears about, so the client's retry is a
/// duplicate. Cuts happen only while armed and at most <c>maxCuts</c> times, so a test always finishes.
/// </summary>
public sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private readonly Lock _budgetLock = new();
    private readonly Random _random;
    private readonly int _minBytesBetweenCuts;
    private readonly int _maxBytesBetweenCuts;
    private readonly int _maxCuts;
    private long _bytesUntilCut;
    private int _cuts;
    private int _droppedResponses;
    private bool _armed;
    private int _brokerPort;

    public ChaosProxy(int minBytesBetweenCuts, int maxBytesBetweenCuts, int maxCuts, int seed)
    {
        _minBytesBetweenCuts = minBytesBetweenCuts;
        _maxBytesBetweenCuts = maxBytesBetweenCuts;
        _maxCuts = maxCuts;
        _random = new Random(seed);
        _bytesUntilCut = NextDistance();
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Set once the broker (advertising this proxy) runs.</summary>
    public int BrokerPort
    {
        get => Volatile.Read(ref _brokerPort);
        set => Volatile.Write(ref _brokerPort, value);
    }

    /// <summary>Connections cut so far, of both kinds.</summary>
    public int Cuts
    {
        get
        {
            lock (_budgetLock)
            {
                return _cuts;
            }
        }
    }

    /// <summary>Cuts that fell between a request the broker received and its response.</summary>
    public int DroppedResponses
    {
        get
        {
            lock (_budgetLock)
            {
                return _droppedResponses;
            }
        }
    }

    /// <summary>Starts (or stops) cutting; set-up and verification run through the proxy undisturbed.</summary>
    public bool Armed
    {
        get
        {
            lock (_budgetLock)
            {
                return _armed;
            }
        }
        set
        {
            lock (_budgetLock)
            {
                _armed = value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }
        await Task.WhenAll(pumps.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var broker = new TcpClient();
            try
            {
                await broker.ConnectAsync(IPAddress.Loopback, BrokerPort, _stop.Token);
                client.NoDelay = true;
                broker.NoDelay = true;
                var pair = new Pair(client, broker);
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(pair, towardsBroker: true));
                    _pumps.Add(PumpAsync(pair, towardsBroker: false));
                }
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The client left before the pair was set up: drop it and keep accepting.
                client.Dispose();
                broker.Dispose();
            }
        }
    }

    private async Task PumpAsync(Pair pair, bool towardsBroker)
    {
        var from = (towardsBroker ? pair.Client : pair.Broker).GetStream();
        var to = (towardsBroker ? pair.Broker : pair.Client).GetStream();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                var (pass, cut) = Take(pair, read, towardsBroker);
                if (pass > 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, pass), _stop.Token);
                }
                if (cut)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            // Either direction ending ends the pair, as a cut or a closed peer would.
            pair.Client.Dispose();
            pair.Broker.Dispose();
        }
    }

    /// <summary>How many of <paramref name="bytes"/> may pass, and whether the pair is cut after them.</summary>
    private (int Pass, bool Cut) Take(Pair pair, int bytes, bool towardsBroker)
    {
        lock (_budgetLock)
        {
            if (!towardsBroker && pair.DropNextResponse)
            {
                _droppedResponses++;
                return (0, true);
            }
            if (!_armed || _cuts >= _maxCuts)
            {
                return (bytes, false);
            }
            if (bytes < _bytesUntilCut)
            {
                _bytesUntilCut -= bytes;
                return (bytes, false);
            }
            _cuts++;
            var cutHere = (int)_bytesUntilCut;
            _bytesUntilCut = NextDistance();
            if (towardsBroker && _random.Next(2) == 0)
            {
                pair.DropNextResponse = true;
                return (bytes, false);
            }
            return (cutHere, true);
        }
    }

    private long NextDistance() => _random.Next(_minBytesBetweenCuts, _maxBytesBetweenCuts + 1);

    /// <summary>A client's connection and the proxy's connection to the broker on its behalf.</summary>
    private sealed class Pair(TcpClient client, TcpClient broker)
    {
        public TcpClient Client { get; } = client;
        public TcpClient Broker { get; } = broker;

        /// <summary>Guarded by the proxy's budget lock.</summary>
        public bool DropNextResponse { get; set; }
    }
}
