using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using FastLog.Broker.Metrics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Network;

/// <summary>
/// One client connection. A read loop frames each request and starts processing it at once; a send loop
/// answers them strictly in request order, as the protocol requires. At most connections' in-flight limit
/// requests run at a time (a client that pipelines further is simply not read from). Produce requests publish
/// into the device rings in the synchronous part of their processing, so one connection's appends keep the
/// order in which they were sent, as Kafka guarantees.
/// Threads: the server runs socket continuations on the runtime's socket event thread (inline socket
/// completions), so a produce request is framed, validated and published where it arrived, and when its writer
/// pass is small its answer is sent by the device writer that completes it (<see cref="Pipeline.AppendCompletion"/>):
/// no thread-pool hop on the produce path. Nothing that may block runs on the event thread: other requests start on the thread pool,
/// and a send that had to wait goes on there (<see cref="SocketSends"/>).
/// </summary>
public sealed class ClientConnection : IDisposable
{
    private const int SizePrefixBytes = 4;
    private const int MinHeaderBytes = 8; // api key, version, correlation id

    private readonly Socket _socket;
    private readonly IRequestProcessor _processor;
    private readonly ConnectionLimits _limits;
    private readonly string _listenerName;
    private readonly Action<string> _log;
    private readonly Channel<InFlight> _inFlight;
    private readonly CancellationTokenSource _closing = new();
    private readonly ResponseSender _sender;
    private readonly RequestMetrics? _metrics;
    private readonly ThreadPoolStart _threadPoolStart;
    private long _lastActivityMs;
    private int _busy;
    private int _closed;

    /// <param name="zeroCopyFetch">socket.fetch.zero.copy: fetched records go from the file to the socket with sendfile; false copies them (TLS will have to).</param>
    /// <param name="metrics">Where each request's time to answer is recorded, or null.</param>
    public ClientConnection(Socket socket, IRequestProcessor processor, ConnectionLimits limits, string listenerName, Action<string> log, bool zeroCopyFetch = true, RequestMetrics? metrics = null)
    {
        _metrics = metrics;
        _threadPoolStart = new ThreadPoolStart(Start);
        _socket = socket;
        _sender = new ResponseSender(socket, zeroCopyFetch);
        _processor = processor;
        _limits = limits;
        _listenerName = listenerName;
        _log = log;
        _inFlight = Channel.CreateBounded<InFlight>(new BoundedChannelOptions(limits.MaxInFlightRequests) { SingleReader = true, SingleWriter = true });
        RemoteEndPoint = socket.RemoteEndPoint;
        Touch();
    }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Idle: no request in flight and none received for connections.max.idle.ms.</summary>
    public bool IsIdle(long nowMs) =>
        _limits.MaxIdleMs >= 0 && Volatile.Read(ref _busy) == 0 && nowMs - Volatile.Read(ref _lastActivityMs) > _limits.MaxIdleMs;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closing.Token);
        var reading = ReadLoopAsync(linked.Token);
        var sending = SendLoopAsync(linked.Token);
        await Task.WhenAll(reading, sending).ConfigureAwait(false);
        _socket.Dispose();
        while (_inFlight.Reader.TryRead(out var leftover))
        {
            // Requests still running own their buffers until they finish (the writer may be reading them).
            try
            {
                await leftover.Processing.Response.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Nobody is left to answer: the request ended, which is all that matters here.
            }
            ArrayPool<byte>.Shared.Return(leftover.Buffer);
        }
    }

    /// <summary>Closes the connection; a reason is logged (one line), a normal end (null) is not.</summary>
    public void Close(string? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            if (reason is not null)
            {
                _log($"closing connection from {RemoteEndPoint}: {reason}");
            }
            try
            {
                // Cancelling runs the loops' continuations on this thread (inline socket completions), and they may
                // end the connection and dispose it, this token source included, before Cancel returns.
                _closing.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellation)
    {
        var sizePrefix = new byte[SizePrefixBytes];
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                // The receives are awaited here rather than in a helper: an async helper's state machine would be
                // allocated per call (a pooled one is taken and given back on different threads).
                var got = 0;
                while (got < SizePrefixBytes)
                {
                    var read = await _socket.ReceiveAsync(sizePrefix.AsMemory(got), SocketFlags.None, cancellation).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    got += read;
                }
                if (got < SizePrefixBytes)
                {
                    // The client closed the connection: as Kafka does, nothing more is answered, and requests still
                    // waiting (a long poll of max.wait.ms) end now rather than at their deadlines.
                    Close(null);
                    break;
                }
                var size = BinaryPrimitives.ReadInt32BigEndian(sizePrefix);
                if (size < MinHeaderBytes || size > _limits.MaxRequestBytes)
                {
                    Close($"request size {size} is outside [{MinHeaderBytes}, {_limits.MaxRequestBytes}] (socket.request.max.bytes)");
                    break;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                got = 0;
                while (got < size)
                {
                    var read = await _socket.ReceiveAsync(buffer.AsMemory(got, size - got), SocketFlags.None, cancellation).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    got += read;
                }
                if (got < size)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    Close($"connection ended inside a {size}-byte request");
                    break;
                }
                var received = Stopwatch.GetTimestamp();
                Touch();
                // Processing starts now, before earlier responses are sent: its synchronous part (for produce,
                // the publish into the device ring) runs in request order, and responses still go out in order.
                Interlocked.Increment(ref _busy);
                var frame = buffer.AsMemory(0, size);
                // A request other than produce starts on the thread pool, and the next is read once its synchronous
                // part is done (so requests still start in order): the read loop may be on the socket event thread
                // (inline socket completions), which every connection shares, and creating a topic, reading a
                // segment or the group coordinator's work must not block it. Produce stays inline: validating and
                // publishing into the ring is short, and a full ring holding up reads is the backpressure Kafka's
                // request queue gives too.
                var processing = BinaryPrimitives.ReadInt16BigEndian(frame.Span) == (short)ApiKey.Produce
                    ? Start(frame, cancellation)
                    : await _threadPoolStart.Run(frame, cancellation).ConfigureAwait(false);
                var inFlight = new InFlight(buffer, processing, received);
                if (!_inFlight.Writer.TryWrite(inFlight))
                {
                    await _inFlight.Writer.WriteAsync(inFlight, cancellation).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _inFlight.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Answers the requests in order. One async method for the connection's life, with every per-request await in
    /// it: an async method per request would allocate its state machine each time (a pooled one does not help, as
    /// it is taken on the thread that starts the request and given back on the writer or pool thread that ends it).
    /// </summary>
    private async Task SendLoopAsync(CancellationToken cancellation)
    {
        var writer = new ProtocolWriter(4096);
        try
        {
            // No token for the wait itself: a cancellable wait allocates per call, and a closing connection ends
            // the read loop, which completes the channel.
            while (!cancellation.IsCancellationRequested && await _inFlight.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (!cancellation.IsCancellationRequested && _inFlight.Reader.TryRead(out var request))
                {
                    Response response;
                    try
                    {
                        // Awaited here and nowhere else: a completed request's buffer is free whatever happens next.
                        response = await request.Processing.Response.ConfigureAwait(false);
                    }
                    catch (ProtocolException e)
                    {
                        Finished(request);
                        Close($"malformed request: {e.Message}");
                        return;
                    }
                    catch
                    {
                        Finished(request);
                        throw;
                    }
                    var header = request.Processing.Header;
                    bool answered;
                    try
                    {
                        answered = await AnswerAsync(header, response, request.Processing.FlexibleResponseHeader, writer, cancellation).ConfigureAwait(false);
                    }
                    finally
                    {
                        Finished(request);
                    }
                    if (!answered)
                    {
                        return;
                    }
                    _metrics?.Record(header.ApiKey, request.ReceivedTimestamp);
                    if (Pipeline.AppendPipeline.OnWriterThread)
                    {
                        // A device writer that completed a small pass sent this response itself: the next responses
                        // (a large fetch, say) go out from the thread pool, so the writer goes back to its ring at once.
                        await Task.Yield();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            writer.Release();
            if (Pipeline.AppendPipeline.OnWriterThread)
            {
                await Task.Yield(); // the connection's teardown is not the device writer's work
            }
            Close(null);
        }
    }

    /// <summary>A request whose processing ended and whose answer went out (or never will): its buffer goes back.</summary>
    private void Finished(InFlight request)
    {
        ArrayPool<byte>.Shared.Return(request.Buffer);
        Interlocked.Decrement(ref _busy);
        Touch();
    }

    /// <summary>
    /// Sends a response; false when the connection must end. Completes synchronously unless the socket's buffer is
    /// full, so it returns a <see cref="ValueTask{TResult}"/> that allocates nothing then.
    /// </summary>
    private ValueTask<bool> AnswerAsync(RequestHeader header, Response response, bool flexibleHeader, ProtocolWriter writer, CancellationToken cancellation)
    {
        if (response.CloseConnection)
        {
            Close(response.CloseReason ?? "request refused");
            return ValueTask.FromResult(false);
        }
        if (response.Body is null)
        {
            return ValueTask.FromResult(true); // acks=0 produce: Kafka sends nothing back
        }

        writer.Reset();
        writer.WriteInt32(0); // size, patched below
        writer.WriteInt32(header.CorrelationId);
        if (flexibleHeader && !response.ForceHeaderV0)
        {
            writer.WriteEmptyTaggedFields();
        }
        // A pooled body goes back once its frame is sent, not when it is encoded: the frame's splices (a fetch's
        // records) are its objects, read by the send.
        var pooled = response.Body as IReleasableMessage;
        ValueTask sending;
        try
        {
            response.Body.Write(writer, response.VersionOverride ?? header.ApiVersion);
            writer.PatchInt32(0, checked((int)(writer.TotalLength - SizePrefixBytes)));
            sending = _sender.SendAsync(writer, cancellation);
        }
        catch (Exception e)
        {
            pooled?.Release();
            return ValueTask.FromResult(SendFailed(e));
        }
        if (sending.IsCompletedSuccessfully)
        {
            sending.GetAwaiter().GetResult(); // consumed, so a pooled source behind it goes back to its pool
            pooled?.Release();
            return ValueTask.FromResult(true);
        }
        return AwaitSendAsync(sending, pooled);
    }

    private async ValueTask<bool> AwaitSendAsync(ValueTask sending, IReleasableMessage? pooled)
    {
        try
        {
            await sending.ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            return SendFailed(e);
        }
        finally
        {
            pooled?.Release();
        }
    }

    /// <summary>False for a send that failed because the client went away; a cut-short frame closes with one log line.</summary>
    private bool SendFailed(Exception e)
    {
        switch (e)
        {
            case SocketException or ObjectDisposedException:
                return false;
            case IOException:
                // The frame is cut short (its size prefix promised the region): the client must start over.
                Close($"sending a response failed: {e.Message}");
                return false;
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                return false;
        }
    }

    /// <summary>Starts processing here; an exception (a malformed request) is kept for the send loop, in order.</summary>
    private ProcessedRequest Start(ReadOnlyMemory<byte> frame, CancellationToken cancellation)
    {
        try
        {
            return _processor.Process(frame, RemoteEndPoint, _listenerName, cancellation);
        }
        catch (Exception e)
        {
            return new ProcessedRequest(default, false, ValueTask.FromException<Response>(e));
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivityMs, Environment.TickCount64);

    public void Dispose()
    {
        // Closed from here on: the server's stop or idle sweep may still call Close on a connection that just ended.
        Interlocked.Exchange(ref _closed, 1);
        _closing.Dispose();
        _socket.Dispose();
    }

    /// <summary>A request being processed, with the pooled buffer its bytes (and its batches) live in, and when its last byte was read.</summary>
    private readonly record struct InFlight(byte[] Buffer, ProcessedRequest Processing, long ReceivedTimestamp);
}
