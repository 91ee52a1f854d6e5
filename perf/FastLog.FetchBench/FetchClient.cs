using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastLog.FetchBench;

/// <summary>
/// One consumer of one partition over a raw Kafka connection: Fetch v4 requests of up to <c>fetchBytes</c>, one in
/// flight, from offset 0 to the high watermark. It only counts bytes: each response's records stream through one
/// reused buffer, and a <see cref="BatchTracker"/> picks the next offset out of the batch headers going past.
/// </summary>
internal static class FetchClient
{
    public sealed record Result(long RecordBytes, long FrameBytes, int Fetches, TimeSpan Elapsed);

    public static Result ReadPartition(int port, string topic, int fetchBytes, byte[] buffer)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var tracker = new BatchTracker();
        // Fetch v4 with one topic and partition and no aborted transactions has a fixed-size header:
        // correlation id, throttle, topics count, topic, partitions count, partition, error, HW, LSO, aborted (-1), records size.
        var header = new byte[4 + 4 + 4 + 2 + Encoding.UTF8.GetByteCount(topic) + 4 + 4 + 2 + 8 + 8 + 4 + 4];
        var sizePrefix = new byte[4];
        long offset = 0, recordBytes = 0, frameBytes = 0;
        var fetches = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            KafkaFrames.Send(socket, KafkaFrames.Fetch(topic, offset, fetchBytes), version: 4, correlationId: fetches);
            KafkaFrames.ReceiveExactly(socket, sizePrefix);
            var frameSize = BinaryPrimitives.ReadInt32BigEndian(sizePrefix);
            KafkaFrames.ReceiveExactly(socket, header);
            var at = header.Length - 4 - 4 - 8 - 8 - 2; // records size, aborted, LSO, HW, then the error code
            var error = BinaryPrimitives.ReadInt16BigEndian(header.AsSpan(at));
            var highWatermark = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(at + 2));
            var recordsSize = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(header.Length - 4));
            if (error != 0 || frameSize != header.Length + Math.Max(recordsSize, 0))
            {
                throw new InvalidDataException($"fetch at {offset}: error {error}, frame of {frameSize} bytes for {recordsSize} record bytes");
            }
            tracker.Reset();
            for (var left = recordsSize; left > 0;)
            {
                var read = socket.Receive(buffer, 0, Math.Min(left, buffer.Length), SocketFlags.None);
                if (read == 0)
                {
                    throw new IOException("the broker closed the connection inside a response");
                }
                tracker.Feed(buffer.AsSpan(0, read));
                left -= read;
            }
            fetches++;
            recordBytes += recordsSize;
            frameBytes += 4 + frameSize;
            if (recordsSize > 0)
            {
                offset = tracker.NextOffset;
            }
            if (offset >= highWatermark)
            {
                return new Result(recordBytes, frameBytes, fetches, clock.Elapsed);
            }
            if (recordsSize <= 0)
            {
                throw new InvalidDataException($"an empty fetch at {offset}, below the high watermark {highWatermark}");
            }
        }
    }
}
