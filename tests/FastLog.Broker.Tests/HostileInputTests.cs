using System.Buffers.Binary;
using System.Net.Sockets;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>
/// Garbage over a raw socket: the connection gets an error or is closed, the broker logs one line, keeps
/// serving other clients, and does not grow its memory.
/// </summary>
public sealed class HostileInputTests
{
    [Fact]
    public async Task Garbage_truncated_frames_and_huge_lengths_close_only_that_connection()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("hostile");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var random = new Random(42);
        var memoryBefore = ResidentBytes(broker);

        for (var i = 0; i < 200; i++)
        {
            var payload = (i % 5) switch
            {
                0 => RandomBytes(random, random.Next(1, 300)), // garbage, including absurd size prefixes
                1 => Frame(int.MaxValue, []), // a length of 2 GiB
                2 => Frame(50, RequestHeaderBytes(apiKey: 3, version: 4, correlation: i)), // truncated: 50 bytes announced, 10 sent
                3 => Frame(null, RequestHeaderBytes(apiKey: 999, version: 0, correlation: i)), // unknown API key
                _ => Frame(null, [.. RequestHeaderBytes(apiKey: 3, version: 4, correlation: i), .. new byte[] { 0x7F, 0xFF, 0xFF, 0xFF }]), // array count 2^31-1
            };
            await SendAndExpectCloseAsync(broker.Port, payload);
        }

        using var producer = Clients.Producer<Null, string>(broker);
        var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "still serving" });
        Assert.Equal(0, delivered.Offset.Value);
        Assert.True(await broker.WaitForOutputAsync("closing connection", TimeSpan.FromSeconds(30)), broker.Output);
        Assert.True(ResidentBytes(broker) - memoryBefore < 200L * 1024 * 1024, "broker memory grew by more than 200 MiB");
    }

    [Fact]
    public async Task Connections_reset_before_they_are_accepted_leave_the_listener_serving_and_the_stop_clean()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("resets");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);

        // Connect and reset at once (linger 0 sends RST), faster than the broker accepts: many are gone by the time
        // the broker sets its socket options on them and asks for their peer address.
        for (var i = 0; i < 300; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, broker.Port);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        using (var producer = Clients.Producer<Null, string>(broker))
        {
            var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "still accepting" });
            Assert.Equal(0, delivered.Offset.Value);
        }
        Assert.True(await broker.StopAsync() == 0, broker.Output);
    }

    [Fact]
    public async Task An_unsupported_api_versions_request_gets_a_v0_error_answer_not_a_close()
    {
        await using var broker = await BrokerProcess.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Frame(null, [.. RequestHeaderBytes(apiKey: 18, version: 99, correlation: 7), 0]));
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body);

        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(body));
        Assert.Equal(35, BinaryPrimitives.ReadInt16BigEndian(body.AsSpan(4))); // UNSUPPORTED_VERSION, then the v0 api_keys array
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(6)) > 5);
    }

    private static async Task SendAndExpectCloseAsync(int port, byte[] payload)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(payload);
        client.Client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // The broker answers or closes; either way the read reaches the end of the stream without hanging.
        while (await stream.ReadAsync(buffer, timeout.Token) > 0)
        {
        }
    }

    private static byte[] RequestHeaderBytes(short apiKey, short version, int correlation)
    {
        var header = new byte[10];
        BinaryPrimitives.WriteInt16BigEndian(header, apiKey);
        BinaryPrimitives.WriteInt16BigEndian(header.AsSpan(2), version);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), correlation);
        BinaryPrimitives.WriteInt16BigEndian(header.AsSpan(8), -1); // null client id
        return header;
    }

    private static byte[] Frame(int? declaredSize, byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, declaredSize ?? body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static long ResidentBytes(BrokerProcess broker)
    {
        var status = File.ReadAllLines($"/proc/{broker.ProcessId}/status");
        var rss = status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
