using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Broker.Network;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Tests;

/// <summary>
/// Requests captured from real clients (Confluent.Kafka 2.16 and kcat 1.7.1) on their way to the broker:
/// each decodes with our codecs at the version the client chose, and encodes back to the same bytes.
/// </summary>
public sealed class CapturedRequestTests
{
    private static readonly Dictionary<short, Func<IMessage>> Requests = new()
    {
        [(short)ApiKey.Produce] = () => new ProduceRequest(),
        [(short)ApiKey.Fetch] = () => new FetchRequest(),
        [(short)ApiKey.ListOffsets] = () => new ListOffsetsRequest(),
        [(short)ApiKey.Metadata] = () => new MetadataRequest(),
        [(short)ApiKey.ApiVersions] = () => new ApiVersionsRequest(),
        [(short)ApiKey.CreateTopics] = () => new CreateTopicsRequest(),
        [(short)ApiKey.DeleteTopics] = () => new DeleteTopicsRequest(),
        [(short)ApiKey.CreatePartitions] = () => new CreatePartitionsRequest(),
        [(short)ApiKey.DescribeConfigs] = () => new DescribeConfigsRequest(),
        [(short)ApiKey.IncrementalAlterConfigs] = () => new IncrementalAlterConfigsRequest(),
        [(short)ApiKey.AlterConfigs] = () => new AlterConfigsRequest(),
        [(short)ApiKey.DeleteRecords] = () => new DeleteRecordsRequest(),
        [(short)ApiKey.FindCoordinator] = () => new FindCoordinatorRequest(),
        [(short)ApiKey.OffsetForLeaderEpoch] = () => new OffsetForLeaderEpochRequest(),
    };

    [Fact]
    public async Task Every_request_from_librdkafka_and_kcat_decodes_and_re_encodes_byte_for_byte()
    {
        // The broker advertises the proxy, so clients come back through it after bootstrapping.
        await using var proxy = new RecordingProxy();
        await using var broker = await BrokerProcess.StartAsync(null, $"advertised.listeners=PLAINTEXT://127.0.0.1:{proxy.Port}");
        proxy.BrokerPort = broker.Port;
        var viaProxy = $"127.0.0.1:{proxy.Port}";
        var topic = TestTopics.Unique("captured");

        await DriveConfluentAsync(viaProxy, topic);
        await DriveKcatAsync(viaProxy, topic);

        List<byte[]> frames;
        lock (proxy.Requests)
        {
            frames = [.. proxy.Requests];
        }
        var seen = new HashSet<ApiKey>();
        foreach (var frame in frames)
        {
            var reader = new ProtocolReader(frame);
            var header = RequestHeader.Read(ref reader);
            Assert.True(Requests.TryGetValue(header.ApiKey, out var create), $"a client sent API {header.ApiKey}, which this test does not know");
            var message = create();
            var flexible = (bool)message.GetType().GetMethod("IsFlexible")!.Invoke(null, [header.ApiVersion])!;
            if (flexible)
            {
                RequestHeader.SkipTaggedFields(ref reader);
            }
            var bodyStart = reader.Position;
            var body = new ProtocolReader(frame.AsMemory(bodyStart));
            message.Read(ref body, header.ApiVersion);
            Assert.Equal(0, body.Remaining);

            var writer = new ProtocolWriter();
            message.Write(writer, header.ApiVersion);
            Assert.True(frame.AsSpan(bodyStart).SequenceEqual(writer.Buffered.Span), $"{(ApiKey)header.ApiKey} v{header.ApiVersion} re-encodes differently");
            writer.Release();
            seen.Add((ApiKey)header.ApiKey);
        }

        Assert.Superset(new HashSet<ApiKey> { ApiKey.ApiVersions, ApiKey.Metadata, ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.CreateTopics, ApiKey.DescribeConfigs }, seen);
    }

    private static async Task DriveConfluentAsync(string bootstrap, string topic)
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 2, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "600000" } }]);
            await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        }
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, CompressionType = CompressionType.Zstd, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}", Headers = [new Header("h", Encoding.UTF8.GetBytes("x"))] });
            }
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "capture", EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { IsPartitionEOF: false })
        {
        }
        consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(DateTime.UtcNow.AddMinutes(-1)))], TimeSpan.FromSeconds(10));
    }

    private static async Task DriveKcatAsync(string bootstrap, string topic)
    {
        await Kcat.RunAsync(bootstrap, ["-L"]);
        await Kcat.RunAsync(bootstrap, ["-P", "-t", topic, "-p", "1", "-z", "gzip"], Encoding.UTF8.GetBytes("a\nb\nc\n"));
        await Kcat.RunAsync(bootstrap, ["-C", "-t", topic, "-p", "1", "-o", "beginning", "-e", "-q"]);
    }
}
