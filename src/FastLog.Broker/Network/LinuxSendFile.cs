using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Broker.Network;

/// <summary>
/// sendfile(2): the kernel moves page-cache pages of a file into a socket; no user-space buffer sees the bytes.
/// Called directly rather than through Socket.SendPacketsAsync: on Linux that also ends in sendfile(2)
/// (SocketPal.Unix SendPacketsAsync, SocketAsyncContext.SendFileAsync, then SystemNative_SendFile), but it takes
/// a file only as a FileStream or a path (a FileStream over the cache's handle would own and close it; a path
/// opens the file again, and retention may have renamed it), and each call allocates a handle array, a
/// completion closure, an async Task, and a TaskCompletionSource with its closure per file element.
/// </summary>
internal static partial class LinuxSendFile
{
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EPipe = 32;
    private const int EConnReset = 104;

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFile(int outFd, int inFd, ref long offset, nuint count);

    /// <summary>
    /// Sends up to <paramref name="count"/> bytes of the file at <paramref name="position"/> (advanced by what went)
    /// into the non-blocking socket. Returns the bytes sent; 0 means the socket's send buffer is full (EAGAIN).
    /// </summary>
    public static int Send(SafeSocketHandle socket, SafeFileHandle file, ref long position, int count)
    {
        var socketAdded = false;
        var fileAdded = false;
        // The references keep both descriptors from being closed (and their numbers reused) during the call.
        socket.DangerousAddRef(ref socketAdded);
        file.DangerousAddRef(ref fileAdded);
        try
        {
            while (true)
            {
                var sent = SendFile((int)socket.DangerousGetHandle(), (int)file.DangerousGetHandle(), ref position, (nuint)count);
                if (sent > 0)
                {
                    return (int)sent;
                }
                if (sent == 0)
                {
                    // count > 0 and nothing read: the file ends before the region does (truncated under us).
                    throw new IOException($"sendfile: the segment file ends before position {position + count}");
                }
                var errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case EIntr:
                        continue;
                    case EAgain:
                        return 0;
                    case EPipe or EConnReset:
                        throw new SocketException((int)SocketError.ConnectionReset);
                    default:
                        throw new IOException($"sendfile failed: errno {errno}");
                }
            }
        }
        finally
        {
            if (fileAdded)
            {
                file.DangerousRelease();
            }
            if (socketAdded)
            {
                socket.DangerousRelease();
            }
        }
    }
}
