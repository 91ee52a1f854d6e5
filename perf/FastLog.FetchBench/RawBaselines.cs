using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.FetchBench;

/// <summary>
/// The ceilings the broker is compared with, measured in the same run: the segment file sent whole to a loopback
/// socket by a bare loop, with sendfile(2) or with pread + send through a 1 MiB buffer, and drained by a receiver
/// thread of this process that reads into a reused 1 MiB buffer (as the fetch client does).
/// </summary>
internal static partial class RawBaselines
{
    public const int ChunkBytes = 1024 * 1024;

    public sealed record Result(long Bytes, TimeSpan Elapsed, double SenderCpuSeconds);

    public static Result SendFile(string path, byte[] receiveBuffer) => Run(path, receiveBuffer, SendFileLoop);

    public static Result ReadSend(string path, byte[] receiveBuffer)
    {
        var chunk = new byte[ChunkBytes];
        return Run(path, receiveBuffer, (socket, file, length) =>
        {
            for (long position = 0; position < length;)
            {
                var read = RandomAccess.Read(file, chunk, position);
                socket.Send(chunk, 0, read, SocketFlags.None); // blocking: returns when all of it is queued
                position += read;
            }
        });
    }

    private static Result Run(string path, byte[] receiveBuffer, Action<Socket, SafeFileHandle, long> send)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        sender.Connect(listener.LocalEndPoint!);
        using var receiver = listener.Accept();

        var senderCpu = 0.0;
        var sending = new Thread(() =>
        {
            var before = CpuTime.ThreadSeconds();
            send(sender, file, length);
            senderCpu = CpuTime.ThreadSeconds() - before;
        });
        var draining = new Thread(() => Drain(receiver, length, receiveBuffer));
        var clock = Stopwatch.StartNew();
        sending.Start();
        draining.Start();
        sending.Join();
        draining.Join();
        return new Result(length, clock.Elapsed, senderCpu);
    }

    private static void Drain(Socket socket, long bytes, byte[] buffer)
    {
        while (bytes > 0)
        {
            var read = socket.Receive(buffer, 0, (int)Math.Min(buffer.Length, bytes), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("the sender closed early");
            }
            bytes -= read;
        }
    }

    private static void SendFileLoop(Socket socket, SafeFileHandle file, long length)
    {
        // Only synchronous calls were made on this socket, so .NET left it blocking: sendfile waits for room itself.
        var socketFd = (int)socket.SafeHandle.DangerousGetHandle();
        var fileFd = (int)file.DangerousGetHandle();
        for (long position = 0; position < length;)
        {
            var sent = sendfile(socketFd, fileFd, ref position, (nuint)Math.Min(length - position, 0x7ffff000));
            if (sent <= 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (sent < 0 && errno is 4 or 11) // EINTR, EAGAIN
                {
                    socket.Poll(-1, SelectMode.SelectWrite);
                    continue;
                }
                throw new IOException($"sendfile returned {sent}, errno {errno}");
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendfile(int outFd, int inFd, ref long offset, nuint count);
}
