using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FastLog.Broker.Network;

/// <summary>
/// Sends record bytes by reading them from the segment file into a pooled buffer, a chunk at a time: the path a
/// TLS connection needs (the bytes must pass through user space to be encrypted), and the baseline the zero-copy
/// path is measured against. socket.fetch.zero.copy=false selects it for plaintext too. It reads with pread
/// rather than copying out of the mapping: measured on our VMs (perf/README.md, fetch), the copy out of the
/// mapping cost ~0.75 CPU s/GiB (TLB misses over 4 KiB pages) where pread, which copies through the kernel's
/// own mapping of the page cache, costs a fraction of that.
/// </summary>
public sealed class CopyingRecordsSender(Socket socket) : IRecordsSender
{
    /// <summary>Bounds the buffer a send holds whatever the region's size (fetch.max.bytes may be tens of MiB).</summary>
    public const int ChunkBytes = 1024 * 1024;

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
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (position < end)
            {
                var count = RandomAccess.Read(lease.Handle, chunk.AsSpan(0, (int)Math.Min(ChunkBytes, end - position)), position);
                if (count == 0)
                {
                    throw new IOException($"the segment file ends at {position}, inside the region [{end - length}, {end}) to send");
                }
                await SocketSends.SendAllAsync(socket, chunk.AsMemory(0, count), cancellation).ConfigureAwait(false);
                position += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
