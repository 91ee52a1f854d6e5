using System.Buffers.Binary;
using System.Net.Sockets;
using FastLog.Protocol.Messages;

namespace FastLog.FetchBench;

/// <summary>Request frames built with FastLog.Protocol's generated messages, over a blocking socket.</summary>
internal static class KafkaFrames
{
    public static void Send<TRequest>(Socket socket, TRequest request, short version, int correlationId) where TRequest : IRequestMessage
    {
        var writer = new ProtocolWriter();
        writer.WriteInt32(0);
        writer.WriteInt16(TRequest.ApiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString("fetchbench", flexible: false);
        request.Write(writer, version);
        writer.PatchInt32(0, writer.BufferedCount - 4);
        socket.Send(writer.Buffered.Span);
        writer.Release();
    }

    /// <summary>One whole response frame after its size prefix (correlation id first).</summary>
    public static byte[] Receive(Socket socket)
    {
        var size = new byte[4];
        ReceiveExactly(socket, size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        ReceiveExactly(socket, frame);
        return frame;
    }

    public static void ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                throw new IOException("the connection closed inside a frame");
            }
            buffer = buffer[read..];
        }
    }

    public static FetchRequest Fetch(string topic, long offset, int maxBytes) => new()
    {
        MaxWaitMs = 0,
        MinBytes = 1,
        MaxBytes = maxBytes,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = maxBytes }],
        }],
    };
}
