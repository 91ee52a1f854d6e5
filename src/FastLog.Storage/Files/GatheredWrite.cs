using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Storage.Files;

/// <summary>
/// Several buffers written at one file position with pwritev(2), allocating nothing: the runtime's
/// <c>RandomAccess.Write(handle, IReadOnlyList&lt;ReadOnlyMemory&lt;byte&gt;&gt;, offset)</c> makes the same call but
/// allocates an array of pin handles each time, which a device writer would pay on every pass. The pins and
/// I/O vectors here are scratch arrays of the calling thread, reused from call to call.
/// </summary>
public static unsafe partial class GatheredWrite
{
    /// <summary>IOV_MAX on Linux: pwritev refuses more vectors in one call.</summary>
    private const int MaxVectors = 1024;
    private const int EIntr = 4;

    [ThreadStatic] private static MemoryHandle[]? t_pins;
    [ThreadStatic] private static IoVector[]? t_vectors;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint pwritev(int fd, IoVector* vectors, int count, long offset);

    /// <summary>Writes every buffer, in order and back to back, starting at <paramref name="offset"/>.</summary>
    public static void Write(SafeFileHandle file, List<ReadOnlyMemory<byte>> buffers, long offset)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) // pwritev's offset is a 64-bit off_t only on 64-bit Linux
        {
            RandomAccess.Write(file, buffers, offset);
            return;
        }
        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            for (var first = 0; first < buffers.Count; first += MaxVectors)
            {
                var count = Math.Min(MaxVectors, buffers.Count - first);
                offset += WriteVectors(file, buffers, first, count, offset);
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static long WriteVectors(SafeFileHandle file, List<ReadOnlyMemory<byte>> buffers, int first, int count, long offset)
    {
        var pins = t_pins is { } p && p.Length >= count ? p : t_pins = new MemoryHandle[Math.Max(count, 16)];
        var vectors = t_vectors is { } v && v.Length >= count ? v : t_vectors = new IoVector[Math.Max(count, 16)];
        long total = 0;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var buffer = buffers[first + i];
                pins[i] = buffer.Pin();
                vectors[i] = new IoVector { Base = (byte*)pins[i].Pointer, Length = (nuint)buffer.Length };
                total += buffer.Length;
            }
            fixed (IoVector* start = vectors)
            {
                // A short write (the disk filling up, say) goes on from where it stopped; the next call then
                // reports the error itself.
                var next = start;
                var left = count;
                for (var remaining = total; remaining > 0;)
                {
                    var written = pwritev((int)file.DangerousGetHandle(), next, left, offset + (total - remaining));
                    if (written < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno == EIntr)
                        {
                            continue;
                        }
                        throw new IOException($"pwritev of {remaining} bytes at {offset + (total - remaining)} failed: errno {errno}");
                    }
                    if (written == 0)
                    {
                        throw new IOException($"pwritev wrote nothing of {remaining} bytes at {offset + (total - remaining)}");
                    }
                    remaining -= written;
                    for (; written > 0 && left > 0; next++, left--)
                    {
                        if ((nuint)written < next->Length)
                        {
                            next->Base += written;
                            next->Length -= (nuint)written;
                            break;
                        }
                        written -= (nint)next->Length;
                    }
                }
            }
            return total;
        }
        finally
        {
            for (var i = 0; i < count; i++)
            {
                pins[i].Dispose();
                pins[i] = default;
            }
        }
    }
}
