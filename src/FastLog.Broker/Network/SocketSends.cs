using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FastLog.Broker.Network;

internal static class SocketSends
{
    /// <summary>
    /// Sends every byte. Socket.SendAsync reuses the socket's own event args, and the pooled builder reuses this
    /// method's state machine, so a send that waits allocates nothing in steady state.
    /// A send that had to wait for room resumes on the thread pool: with inline socket completions it would
    /// otherwise go on on the socket event thread, and what follows a send (the next response, a sendfile or
    /// pread of a segment that may not be cached) must not hold up every other connection.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            var sending = socket.SendAsync(bytes, SocketFlags.None, cancellation);
            var waited = !sending.IsCompleted;
            var sent = await sending.ConfigureAwait(false);
            if (waited)
            {
                await Task.Yield();
            }
            bytes = bytes[sent..];
        }
    }
}
