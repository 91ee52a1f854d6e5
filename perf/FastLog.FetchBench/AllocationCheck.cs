using System.Net;
using System.Net.Sockets;
using FastLog.Benchmarks.Support;
using FastLog.Broker.Fetch;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.FetchBench;

/// <summary>
/// Bytes allocated per fetch response on the send side, in this process (the broker's own counters are not
/// reachable from outside): a 1 MiB-batch log, a loopback socket drained by a thread, and the broker's
/// <see cref="ResponseSender"/> sending an encoded FetchResponse whose records are a <see cref="FileRegionRecords"/>.
/// Two loops per path: (a) encode + send of a response built once; (b) as the fetch handler does per partition,
/// LogSegment read of a region + a new FileRegionRecords + encode + send. The fetch handler's own response
/// objects (FetchResponse, its lists, the long-poll machinery) are per request and are not part of this count.
/// </summary>
internal static class AllocationCheck
{
    private const int Warmup = 1000;
    private const int Measured = 5000;
    private const int RegionBytes = 4 * 1024 * 1024;

    public static async Task RunAsync(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var config = new LogConfig { Preallocation = SegmentPreallocation.None };
        var log = PartitionLog.Create(new TopicPartition("alloc", 0), dir, config, new FileCache(16));
        var batch = BatchFactory.Build(1024 * 1024, recordBytes: 1024);
        for (var i = 0; i < 32; i++)
        {
            log.Append(batch);
        }
        log.HighWatermark = log.LogEndOffset;

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.NoDelay = true;
        var draining = new Thread(() => Drain(client)) { IsBackground = true };
        draining.Start();

        using var cancellation = new CancellationTokenSource(); // a real token, as the connection passes one
        Console.WriteLine("| Path | Loop | Sends | Allocated per send (whole process) |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        foreach (var zeroCopy in new[] { true, false })
        {
            var sender = new ResponseSender(server, zeroCopy);
            var name = zeroCopy ? "zero-copy (sendfile)" : "copying";
            var built = await MeasureAsync(sender, log, rereadEachTime: false, cancellation.Token);
            Console.WriteLine($"| {name} | (a) encode + send a built response | {Measured} | {built:F1} B |");
            var reread = await MeasureAsync(sender, log, rereadEachTime: true, cancellation.Token);
            Console.WriteLine($"| {name} | (b) read region + wrap + encode + send | {Measured} | {reread:F1} B |");
        }
        server.Shutdown(SocketShutdown.Both);
        log.Close();
    }

    private static async Task<double> MeasureAsync(ResponseSender sender, PartitionLog log, bool rereadEachTime, CancellationToken cancellation)
    {
        var writer = new ProtocolWriter(4096);
        var data = new FetchResponse.PartitionData { PartitionIndex = 0, HighWatermark = log.HighWatermark, LastStableOffset = log.HighWatermark, AbortedTransactions = null };
        var response = new FetchResponse { Responses = [new FetchResponse.FetchableTopicResponse { Topic = "alloc", Partitions = [data] }] };
        data.Records = new RecordsPayload(new FileRegionRecords(log.Read(0, RegionBytes)));
        long before = 0;
        for (var i = 0; i < Warmup + Measured; i++)
        {
            if (i == Warmup)
            {
                before = GC.GetTotalAllocatedBytes(precise: true);
            }
            if (rereadEachTime)
            {
                var offset = (i % 24) * (log.LogEndOffset / 32);
                data.Records = new RecordsPayload(new FileRegionRecords(log.Read(offset, RegionBytes)));
            }
            writer.Reset();
            writer.WriteInt32(0);
            writer.WriteInt32(i);
            response.Write(writer, 4);
            writer.PatchInt32(0, checked((int)(writer.TotalLength - 4)));
            await sender.SendAsync(writer, cancellation).ConfigureAwait(false);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        writer.Release();
        return allocated / (double)Measured;
    }

    private static void Drain(Socket socket)
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (socket.Receive(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }
}
