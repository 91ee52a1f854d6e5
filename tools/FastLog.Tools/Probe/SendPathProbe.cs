using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Tools.Probe;

/// <summary>
/// Which of the broker's two fetch paths this host sends faster: a file in the page cache (where the records a
/// consumer fetches usually are) sent whole to a loopback socket with sendfile(2), as the zero-copy path does,
/// and with pread + send through a 1 MiB buffer, as the copying path does, drained by a thread of this process.
/// Three alternating rounds each, the best of each kept: the host's noise only ever makes a round slower. On
/// bare metal sendfile saves a copy; on some virtual machines it measured at less than half of read + send, and
/// there the profile should copy.
/// </summary>
internal static partial class SendPathProbe
{
    private const int ChunkBytes = 1024 * 1024;
    private const int Rounds = 3;
    private const int EIntr = 4;
    private const int EAgain = 11;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendfile(int outFd, int inFd, ref long offset, nuint count);

    /// <summary>Measures in <paramref name="dataDir"/> with a scratch file of <paramref name="bytes"/>, removed afterwards.</summary>
    public static SendPathMeasurement Run(string dataDir, long bytes, ProgressBar progress)
    {
        Directory.CreateDirectory(dataDir);
        var scratch = Path.Combine(dataDir, $".fastlog-probe-send-{Environment.ProcessId}");
        try
        {
            WriteScratch(scratch, bytes);
            using var file = File.OpenHandle(scratch, FileMode.Open, FileAccess.Read);
            var receiveBuffer = new byte[ChunkBytes];
            var sendFileBest = 0.0;
            var readSendBest = 0.0;
            for (var round = 0; round < Rounds; round++)
            {
                sendFileBest = Math.Max(sendFileBest, BytesPerSecond(file, bytes, receiveBuffer, SendFileWhole));
                progress.Report("loopback sends: sendfile, read + send", (round * 2 + 1.0) / (Rounds * 2));
                readSendBest = Math.Max(readSendBest, BytesPerSecond(file, bytes, receiveBuffer, ReadAndSendWhole));
                progress.Report("loopback sends: sendfile, read + send", (round * 2 + 2.0) / (Rounds * 2));
            }
            return new SendPathMeasurement(sendFileBest, readSendBest);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static void WriteScratch(string path, long bytes)
    {
        var chunk = new byte[ChunkBytes];
        Random.Shared.NextBytes(chunk);
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        for (long position = 0; position < bytes; position += ChunkBytes)
        {
            RandomAccess.Write(file, chunk.AsSpan(0, (int)Math.Min(ChunkBytes, bytes - position)), position);
        }
    }

    private static double BytesPerSecond(SafeFileHandle file, long bytes, byte[] receiveBuffer, Action<Socket, SafeFileHandle, long> send)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        sender.Connect(listener.LocalEndPoint!);
        using var receiver = listener.Accept();
        var draining = new Thread(() => Drain(receiver, bytes, receiveBuffer)) { IsBackground = true };
        var start = Stopwatch.GetTimestamp();
        draining.Start();
        send(sender, file, bytes);
        draining.Join();
        return bytes / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void Drain(Socket socket, long bytes, byte[] buffer)
    {
        while (bytes > 0)
        {
            var read = socket.Receive(buffer, 0, (int)Math.Min(buffer.Length, bytes), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("the loopback sender closed early");
            }
            bytes -= read;
        }
    }

    private static void ReadAndSendWhole(Socket socket, SafeFileHandle file, long bytes)
    {
        var chunk = new byte[ChunkBytes];
        for (long position = 0; position < bytes;)
        {
            var read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(ChunkBytes, bytes - position)), position);
            socket.Send(chunk, 0, read, SocketFlags.None); // a blocking socket: returns once all of it is queued
            position += read;
        }
    }

    private static void SendFileWhole(Socket socket, SafeFileHandle file, long bytes)
    {
        // Only synchronous calls were made on the socket, so it is blocking: sendfile waits for room itself.
        var socketFd = (int)socket.SafeHandle.DangerousGetHandle();
        var fileFd = (int)file.DangerousGetHandle();
        for (long position = 0; position < bytes;)
        {
            var sent = sendfile(socketFd, fileFd, ref position, (nuint)Math.Min(bytes - position, ChunkBytes));
            if (sent > 0)
            {
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (sent == 0 || errno is not (EIntr or EAgain))
            {
                throw new IOException(sent == 0 ? $"sendfile: the scratch file ends before {bytes} bytes" : $"sendfile failed: errno {errno}");
            }
        }
    }
}

/// <summary>Loopback send throughput of a page-cached file, in bytes per second, by each of the broker's fetch paths.</summary>
internal readonly record struct SendPathMeasurement(double SendFileBytesPerSecond, double ReadSendBytesPerSecond)
{
    /// <summary>Zero-copy unless sendfile measured clearly slower: at a tie it still saves the copy's CPU.</summary>
    public bool ZeroCopyWins => SendFileBytesPerSecond >= 0.9 * ReadSendBytesPerSecond;
}
