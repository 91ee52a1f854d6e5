using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// Asks the --bootstrap broker, over one plain TCP connection and before any librdkafka client exists, which
/// addresses the cluster's brokers advertise. librdkafka would connect to those addresses as soon as it learned
/// them, so they have to be checked first, outside it. Speaks ApiVersions v0, then the highest non-flexible
/// Metadata version (v0 to v8) the broker supports, and reads only the broker list.
/// </summary>
internal static class MetadataProbe
{
    private const short ApiVersionsKey = 18;
    private const short MetadataKey = 3;
    private const short HighestMetadataVersion = 8; // v9 on uses the flexible encoding
    private const int MaxReplyBytes = 64 << 20;

    public static IReadOnlyList<AdvertisedBroker> AdvertisedBrokers(BootstrapAddress bootstrap, TimeSpan timeout)
    {
        using var client = new TcpClient();
        try
        {
            using var connectTimeout = new CancellationTokenSource(timeout);
            client.ConnectAsync(bootstrap.Host, bootstrap.Port, connectTimeout.Token).AsTask().GetAwaiter().GetResult();
            client.ReceiveTimeout = client.SendTimeout = (int)timeout.TotalMilliseconds;
            var stream = client.GetStream();

            var versions = new WireReader(Exchange(stream, ApiVersionsKey, 0, correlationId: 1, []));
            var version = MetadataVersion(versions);

            var metadata = new WireReader(Exchange(stream, MetadataKey, version, correlationId: 2, MetadataBody(version)));
            return Brokers(metadata, version);
        }
        catch (OperationCanceledException)
        {
            throw new SetupException($"could not connect to {bootstrap} within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new SetupException($"no Kafka broker answered at {bootstrap}: {e.Message}");
        }
    }

    private static short MetadataVersion(WireReader reply)
    {
        reply.Int32(); // correlation id
        var error = reply.Int16();
        if (error != 0)
        {
            throw new SetupException($"the broker refused ApiVersions v0 (error {error})");
        }
        var count = reply.Int32();
        for (var i = 0; i < count; i++)
        {
            var (key, min, max) = (reply.Int16(), reply.Int16(), reply.Int16());
            if (key == MetadataKey)
            {
                var version = Math.Min(max, HighestMetadataVersion);
                return version >= min ? version
                    : throw new SetupException($"the broker supports only Metadata v{min}-v{max}; this check speaks v0-v{HighestMetadataVersion}");
            }
        }
        throw new SetupException("the broker does not list the Metadata API");
    }

    private static byte[] MetadataBody(short version)
    {
        // An empty topic list: no topics (v1+) or all of them (v0); only the broker list is read either way.
        var body = new List<byte> { 0, 0, 0, 0 };
        if (version >= 4)
        {
            body.Add(0); // allow_auto_topic_creation: false
        }
        if (version >= 8)
        {
            body.AddRange([0, 0]); // include cluster / topic authorized operations: false
        }
        return [.. body];
    }

    private static List<AdvertisedBroker> Brokers(WireReader reply, short version)
    {
        reply.Int32(); // correlation id
        if (version >= 3)
        {
            reply.Int32(); // throttle_time_ms
        }
        var count = reply.Int32();
        var brokers = new List<AdvertisedBroker>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            var nodeId = reply.Int32();
            var host = reply.String();
            var port = reply.Int32();
            if (version >= 1)
            {
                reply.NullableString(); // rack
            }
            brokers.Add(new AdvertisedBroker(nodeId, host, port));
        }
        return brokers;
    }

    /// <summary>Sends one request (header v1: key, version, correlation id, client id) and returns the reply's bytes.</summary>
    private static byte[] Exchange(NetworkStream stream, short apiKey, short version, int correlationId, byte[] body)
    {
        var clientId = Encoding.UTF8.GetBytes(ClientConfigs.ClientId);
        var request = new byte[4 + 2 + 2 + 4 + 2 + clientId.Length + body.Length];
        var span = request.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], apiKey);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], version);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], correlationId);
        BinaryPrimitives.WriteInt16BigEndian(span[12..], (short)clientId.Length);
        clientId.CopyTo(span[14..]);
        body.CopyTo(span[(14 + clientId.Length)..]);
        stream.Write(request);

        var sizeBytes = new byte[4];
        stream.ReadExactly(sizeBytes);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size is < 4 or > MaxReplyBytes)
        {
            throw new SetupException($"the reply to API {apiKey} claims {size} bytes; is --bootstrap a Kafka broker?");
        }
        var reply = new byte[size];
        stream.ReadExactly(reply);
        if (BinaryPrimitives.ReadInt32BigEndian(reply) != correlationId)
        {
            throw new SetupException($"the reply to API {apiKey} carries another correlation id");
        }
        return reply;
    }
}

internal sealed record AdvertisedBroker(int NodeId, string Host, int Port);
