using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FastLog.Broker.Network;

internal static class SocketSends
{
    /// <summary>
    /// Sends every byte. Socket.SendAsync reuses the socket's own event args, and the pooled builder reuses this
    /// method's state machine, so a send that waits allocates nothing in steady state.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }
}
