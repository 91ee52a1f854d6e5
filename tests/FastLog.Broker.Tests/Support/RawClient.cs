using System.Buffers.Binary;
using System.Net.Sockets;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Tests.Support;

/// <summary>A bare Kafka protocol client over a socket, for requests no library would send.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream? _stream;

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var raw = new RawClient();
        await raw._client.ConnectAsync("127.0.0.1", port);
        raw._stream = raw._client.GetStream();
        return raw;
    }

    /// <summary>Writes one request frame (header v1 or v2) without waiting for its answer.</summary>
    public async Task SendAsync<TRequest>(TRequest request, short version, int correlationId) where TRequest : IRequestMessage
    {
        var writer = new ProtocolWriter();
        writer.WriteInt32(0);
        writer.WriteInt16(TRequest.ApiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString("raw-client", flexible: false);
        if (TRequest.IsFlexible(version))
        {
            writer.WriteEmptyTaggedFields();
        }
        request.Write(writer, version);
        writer.PatchInt32(0, writer.BufferedCount - 4);
        await _stream!.WriteAsync(writer.Buffered);
        writer.Release();
    }

    /// <summary>Reads one response frame: its correlation id and its body (response header v0 assumed unless told).</summary>
    public async Task<(int CorrelationId, byte[] Body)> ReceiveAsync(bool flexibleHeader = false)
    {
        var size = new byte[4];
        await _stream!.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(frame);
        var bodyStart = flexibleHeader ? 5 : 4;
        return (BinaryPrimitives.ReadInt32BigEndian(frame), frame[bodyStart..]);
    }

    public static TResponse Decode<TResponse>(byte[] body, short version) where TResponse : IMessage, new()
    {
        var reader = new ProtocolReader(body);
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    public void Dispose() => _client.Dispose();
}
