using System.Net.Sockets;
using System.Runtime.CompilerServices;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Network;

/// <summary>
/// Puts one encoded response frame on a connection's socket: the buffered bytes (size, header, body) from the
/// writer's pooled buffer, and at each splice the external records through the connection's records sender.
/// One per connection; only its send loop uses it, one frame at a time.
/// </summary>
public sealed class ResponseSender(Socket socket, bool zeroCopyFetch)
{
    // sendfile(2) is called with Linux's signature; elsewhere (a developer's machine) the copying path serves.
    private readonly IRecordsSender _records = zeroCopyFetch && OperatingSystem.IsLinux()
        ? new ZeroCopyRecordsSender(socket)
        : new CopyingRecordsSender(socket);

    public bool ZeroCopy => _records is ZeroCopyRecordsSender;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ProtocolWriter frame, CancellationToken cancellation)
    {
        var buffered = frame.Buffered;
        var splices = frame.Splices;
        var sent = 0;
        // Indexed, not foreach: enumerating the IReadOnlyList would box its enumerator on every response.
        for (var i = 0; i < splices.Count; i++)
        {
            var (position, records) = splices[i];
            await SocketSends.SendAllAsync(socket, buffered[sent..position], cancellation).ConfigureAwait(false);
            sent = position;
            await _records.SendAsync((ISendableRecords)records, cancellation).ConfigureAwait(false);
        }
        await SocketSends.SendAllAsync(socket, buffered[sent..], cancellation).ConfigureAwait(false);
    }
}
