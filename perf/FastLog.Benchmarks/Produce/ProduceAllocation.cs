using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastLog.Benchmarks.Support;
using FastLog.Protocol.Messages;

namespace FastLog.Benchmarks.Produce;

/// <summary>
/// Bytes the broker allocates per produce request, counted in process: a broker started here on a scratch data
/// dir, one connection sending the same produce request (one batch of `--records` 100-byte records) (acks=1, flush per batch) and waiting for each
/// answer, as a client at linger 0 does. The request frame is encoded once and the answer read into a reused
/// buffer, so the client side allocates nothing and `GC.GetTotalAllocatedBytes` over the measured requests is the
/// broker's (its timers and background threads included). With `--types` the runtime's allocation samples (one
/// per ~100 KB allocated) are tallied by type instead, to show where the bytes go.
/// With `--fetch` the same for fetch requests instead: after the produce warm-up, one consumer fetching the log's
/// first batch over and over (max.wait.ms 0, the data always there). With `--long-poll` a consumer on a second
/// connection fetches at the log's end (max.wait.ms 500, the clients' default), the fetch is given 0.5 ms to park in the purgatory, and
/// the producer's next request wakes it: the figure is per cycle of one produce and one woken fetch.
/// Produce runs also print the durable record rate and the process CPU (the client costs next to nothing, so both are
/// the broker's).
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- produce-alloc [requests] [--records N] [--in-flight N] [--fetch | --long-poll] [--types]`
/// (`--records`: records per request, one batch; default 1. `--in-flight`: requests sent ahead of the answers,
/// as librdkafka pipelines them; default 1).
/// </summary>
public static class ProduceAllocation
{
    private const string Topic = "produce-alloc";
    private const int RecordBytes = 100;
    private const short ProduceVersion = 7;
    private const short FetchVersion = 11;

    /// <summary>A fetch offset no log reaches, found in the encoded frame to patch each cycle's offset into.</summary>
    private const long OffsetMarker = 0x0123_4567_89AB_CDEF;

    public static async Task RunAsync(string[] args)
    {
        var requests = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 20_000;
        var byType = args.Contains("--types");
        var fetch = args.Contains("--fetch");
        var longPoll = args.Contains("--long-poll");
        var recordsAt = Array.IndexOf(args, "--records");
        var inFlightAt = Array.IndexOf(args, "--in-flight");
        var inFlight = inFlightAt > 0 && inFlightAt + 1 < args.Length ? int.Parse(args[inFlightAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var records = recordsAt > 0 && recordsAt + 1 < args.Length ? int.Parse(args[recordsAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var broker = InProcessBroker.Start("produce-alloc", Topic);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(broker.EndPoint);
            var frame = ProduceFrame(records);
            var answer = new byte[1 << 20];
            var warmup = Math.Max(1000, requests / 5);
            for (var i = 1; i < inFlight; i++)
            {
                socket.Send(frame); // the requests kept in flight ahead of the one answered
            }
            for (var i = 0; i < warmup; i++)
            {
                RoundTrip(socket, frame, answer);
            }

            string what;
            using var consumer = longPoll ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true } : null;
            var fetchAtEnd = Array.Empty<byte>();
            var offsetAt = 0;
            var end = (long)(warmup + inFlight - 1) * records;
            if (longPoll)
            {
                if (inFlight > 1)
                {
                    throw new ArgumentException("--long-poll waits for each answer: --in-flight must be 1");
                }
                consumer!.Connect(broker.EndPoint);
                fetchAtEnd = FetchFrame(maxBytes: 1 << 20, maxWaitMs: 500, OffsetMarker); // the clients' default wait
                offsetAt = fetchAtEnd.AsSpan().IndexOf(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(OffsetMarker)));
                for (var i = 0; i < warmup; i++, end += records)
                {
                    LongPollCycle(socket, frame, consumer, fetchAtEnd, offsetAt, end, answer);
                }
                what = $"cycles of a produce request of {records:N0} x {RecordBytes} B records and a fetch parked at the log end that it wakes";
            }
            else if (fetch)
            {
                // The log now holds the warm-up's batches: fetch its first one over and over, data always there.
                for (var i = 1; i < inFlight; i++)
                {
                    RoundTrip(socket, frame, answer); // answers of the produce requests still in flight
                }
                frame = FetchFrame(maxBytes: frame.Length, maxWaitMs: 0, fetchOffset: 0);
                for (var i = 0; i < warmup; i++)
                {
                    FetchRoundTrip(socket, frame, answer);
                }
                what = $"fetch requests (v{FetchVersion}) of one batch of {records:N0} x {RecordBytes} B records, served at once";
            }
            else
            {
                what = $"produce requests of {records:N0} x {RecordBytes} B records ({frame.Length:N0} B, v{ProduceVersion}, acks=1, {inFlight} in flight)";
            }

            using var tally = byType ? new AllocationTally() : null;
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var collections = GC.CollectionCount(0);
            for (var i = 0; i < requests; i++)
            {
                if (longPoll)
                {
                    LongPollCycle(socket, frame, consumer!, fetchAtEnd, offsetAt, end, answer);
                    end += records;
                }
                else if (fetch)
                {
                    FetchRoundTrip(socket, frame, answer);
                }
                else
                {
                    RoundTrip(socket, frame, answer);
                }
            }
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
            Console.WriteLine($"{requests:N0} {what}: {(double)allocated / requests:F1} B allocated per request (whole process), {GC.CollectionCount(0) - collections} gen0 GCs");
            if (!fetch && !longPoll)
            {
                // The client here only sends one encoded frame over and over: the rate is the broker's, durable
                // (acks=1, flush per batch), with this process's CPU almost all the broker's.
                var messages = (double)requests * records;
                Console.WriteLine($"  {messages / seconds:N0} records/s, {messages * RecordBytes / seconds / 1e6:N1} MB/s of values, in {seconds:F2} s; process CPU {cpu:F2} s ({cpu / messages * 1e6:F3} s per million records)");
            }
            tally?.Print(requests);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static byte[] ProduceFrame(int records)
    {
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = Topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = new RecordsPayload(BatchFactory.Build(records * (RecordBytes + 12) + 58, RecordBytes)) }],
            }],
        };
        return InProcessBroker.Frame(request, ProduceVersion, "produce-alloc");
    }

    private static byte[] FetchFrame(int maxBytes, int maxWaitMs, long fetchOffset)
    {
        var request = new FetchRequest
        {
            MaxWaitMs = maxWaitMs,
            MinBytes = 1,
            MaxBytes = maxBytes,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = Topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = fetchOffset, PartitionMaxBytes = maxBytes }],
            }],
        };
        return InProcessBroker.Frame(request, FetchVersion, "produce-alloc");
    }

    /// <summary>
    /// A fetch at <paramref name="end"/> sent first and given 0.5 ms to park (spun, not slept: a sleep is 1 ms or
    /// more), then a produce whose append wakes it; both answers are read.
    /// </summary>
    private static void LongPollCycle(Socket producer, byte[] produce, Socket consumer, byte[] fetch, int offsetAt, long end, byte[] answer)
    {
        BinaryPrimitives.WriteInt64BigEndian(fetch.AsSpan(offsetAt), end);
        consumer.Send(fetch);
        var parked = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency / 2000;
        while (System.Diagnostics.Stopwatch.GetTimestamp() < parked)
        {
            Thread.SpinWait(20);
        }
        RoundTrip(producer, produce, answer);
        FetchAnswer(consumer, answer);
    }

    private static void FetchRoundTrip(Socket socket, byte[] frame, byte[] answer)
    {
        socket.Send(frame);
        FetchAnswer(socket, answer);
    }

    private static void FetchAnswer(Socket socket, byte[] answer)
    {
        ReceiveExactly(socket, answer.AsSpan(0, 4));
        var size = BinaryPrimitives.ReadInt32BigEndian(answer);
        ReceiveExactly(socket, answer.AsSpan(0, size));
        // correlation id, throttle_time_ms, then the top-level error code; the records must be there too.
        var error = BinaryPrimitives.ReadInt16BigEndian(answer.AsSpan(8));
        if (error != 0 || size < 100)
        {
            throw new InvalidOperationException($"the fetch failed: error {error}, {size}-byte answer");
        }
    }

    private static void RoundTrip(Socket socket, byte[] frame, byte[] answer)
    {
        socket.Send(frame);
        ReceiveExactly(socket, answer.AsSpan(0, 4));
        var size = BinaryPrimitives.ReadInt32BigEndian(answer);
        ReceiveExactly(socket, answer.AsSpan(0, size));
        // Bytes 4-... are the response body; a refused append must not pass for an allocation figure.
        var error = BinaryPrimitives.ReadInt16BigEndian(answer.AsSpan(4 + 4 + 2 + Topic.Length + 4 + 4));
        if (error != 0)
        {
            throw new InvalidOperationException($"the broker refused the append: error {error}");
        }
    }

    private static void ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                throw new IOException("the broker closed the connection");
            }
            buffer = buffer[read..];
        }
    }
}
