using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using FastLog.Benchmarks.Support;
using FastLog.Protocol.Messages;

namespace FastLog.Benchmarks.Fetch;

/// <summary>
/// What idle consumers cost the broker: a broker started here on a scratch data dir, `connections` clients each
/// long-polling an empty partition (Fetch v11 at the log end, max.wait.ms 500 as the clients' default) and polling
/// again the moment each poll expires, for `seconds` after a warm-up. Prints the expiries answered, the process's
/// CPU per second and threads, and the bytes allocated per answered poll (the clients' loops allocate nothing per
/// poll, so that figure is the broker's).
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- idle-fetchers [connections] [seconds] [--types]`
/// (`--types`: the runtime's allocation samples tallied by type).
/// </summary>
public static class IdleFetchers
{
    private const string Topic = "idle-fetchers";
    private const int MaxWaitMs = 500;

    public static async Task RunAsync(string[] args)
    {
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var byType = args.Contains("--types");
        var broker = InProcessBroker.Start("idle-fetchers", Topic);
        using var stop = new CancellationTokenSource();
        var sockets = new List<Socket>();
        try
        {
            var frame = FetchFrame();
            var answered = 0L;
            var loops = new List<Task>();
            for (var i = 0; i < connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(broker.EndPoint);
                sockets.Add(socket);
                loops.Add(PollAsync(socket, frame, () => Interlocked.Increment(ref answered), stop.Token));
            }
            await Task.Delay(TimeSpan.FromSeconds(2)); // every poll parked and expired a few times

            using var tally = byType ? new AllocationTally() : null;
            var threads = Process.GetCurrentProcess().Threads.Count;
            var answeredBefore = Interlocked.Read(ref answered);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var collections = GC.CollectionCount(0);
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var polls = Interlocked.Read(ref answered) - answeredBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;

            Console.WriteLine($"{connections:N0} consumers long-polling an empty partition (max.wait.ms {MaxWaitMs}) for {seconds:F0} s: " +
                $"{polls:N0} expiries answered ({polls / seconds:N0}/s, {polls / (connections * seconds / (MaxWaitMs / 1000.0)):P0} of the ideal)");
            Console.WriteLine($"  process CPU {cpu / seconds:F3} s per s ({cpu / polls * 1e6:F1} us per poll), {threads} threads, " +
                $"{(double)allocated / polls:F1} B allocated per poll, {GC.CollectionCount(0) - collections} gen0 GCs");
            tally?.Print(polls);
            await stop.CancelAsync();
            sockets.ForEach(s => s.Dispose());
            await Task.WhenAll(loops);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            await broker.DisposeAsync();
        }
    }

    /// <summary>
    /// One consumer: sends the poll, reads its answer whole, and polls again. One async method for the whole loop
    /// and no token on the socket calls, so that the client side allocates nothing per poll; disposing the socket
    /// ends it.
    /// </summary>
    private static async Task PollAsync(Socket socket, byte[] frame, Action onAnswer, CancellationToken stop)
    {
        var answer = new byte[4096];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(frame.AsMemory(), SocketFlags.None, CancellationToken.None);
                var expected = 4;
                for (var received = 0; received < expected;)
                {
                    var read = await socket.ReceiveAsync(answer.AsMemory(received, expected - received), SocketFlags.None, CancellationToken.None);
                    if (read == 0)
                    {
                        throw new IOException("the broker closed the connection");
                    }
                    received += read;
                    if (received == 4 && expected == 4)
                    {
                        expected = 4 + BinaryPrimitives.ReadInt32BigEndian(answer);
                        if (expected > answer.Length)
                        {
                            throw new InvalidOperationException($"a {expected}-byte answer to a poll of an empty partition");
                        }
                    }
                }
                onAnswer();
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private static byte[] FetchFrame()
    {
        var request = new FetchRequest
        {
            MaxWaitMs = MaxWaitMs,
            MinBytes = 1,
            MaxBytes = 1 << 20,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = Topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }],
            }],
        };
        return InProcessBroker.Frame(request, 11, "idle-fetchers");
    }
}
