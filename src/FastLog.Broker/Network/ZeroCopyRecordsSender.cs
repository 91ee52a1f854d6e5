using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FastLog.Broker.Network;

/// <summary>
/// Sends record bytes from the segment file to the socket with sendfile(2) (plaintext only: TLS must see the bytes,
/// so it takes the copying path). The file lease pins the descriptor for the whole send, so neither the file
/// cache's eviction nor retention's delete (a rename, then an unlink after file.delete.delay.ms) cuts it off:
/// an open file stays readable after both.
/// </summary>
public sealed class ZeroCopyRecordsSender(Socket socket) : IRecordsSender
{
    /// <summary>The byte that waits for room in the socket (see <see cref="SendAsync"/>); one per connection.</summary>
    private readonly byte[] _waitByte = new byte[1];

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ISendableRecords records, CancellationToken cancellation)
    {
        var length = records.Length;
        if (length == 0)
        {
            return;
        }
        using var lease = records.Pin(out var position);
        var end = position + length;
        while (position < end)
        {
            cancellation.ThrowIfCancellationRequested();
            if (LinuxSendFile.Send(socket.SafeHandle, lease.Handle, ref position, (int)(end - position)) > 0)
            {
                continue;
            }
            // The send buffer is full. .NET has no allocation-free "wait until writable", but its own send waits
            // (on the socket's epoll registration) and reuses its event args: so the next byte goes that way,
            // copied from the mapping, and sendfile resumes after it once the socket has drained.
            _waitByte[0] = lease.Bytes(position, 1)[0];
            await SocketSends.SendAllAsync(socket, _waitByte, cancellation).ConfigureAwait(false);
            position++;
        }
    }
}
