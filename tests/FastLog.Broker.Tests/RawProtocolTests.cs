using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests;

/// <summary>Protocol behaviour checked with hand-built requests: ordering, many connections, refusals, byte limits.</summary>
public sealed class RawProtocolTests
{
    [Fact]
    public async Task Pipelined_requests_on_one_connection_are_answered_in_order()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("order");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var client = await RawClient.ConnectAsync(broker.Port);

        for (var i = 0; i < 30; i++)
        {
            // A slow long poll among quick requests must not let the quick ones overtake it.
            if (i % 10 == 5)
            {
                await client.SendAsync(Fetch(topic, offset: 0, maxWaitMs: 300, partitionMaxBytes: 1 << 20), 11, correlationId: i);
            }
            else
            {
                await client.SendAsync(new MetadataRequest { Topics = [] }, 4, correlationId: i);
            }
        }
        var order = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            order.Add((await client.ReceiveAsync()).CorrelationId);
        }

        Assert.Equal(Enumerable.Range(0, 30), order);
    }

    [Fact]
    public async Task A_long_poll_is_answered_by_the_append_it_waits_for_not_by_its_expiry()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("woken");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var fetcher = await RawClient.ConnectAsync(broker.Port);
        using var producer = await RawClient.ConnectAsync(broker.Port);

        for (var round = 0; round < 20; round++)
        {
            // A wait of ten minutes: an answer within the test's time can only come from the append waking it.
            await fetcher.SendAsync(Fetch(topic, offset: round * 2, maxWaitMs: 600_000, partitionMaxBytes: 1 << 20), 11, correlationId: round);
            // Parked first: the answer must come from the append waking it, not from a first read.
            Assert.True(await BrokerMetricsScrape.WaitForAsync(broker, "fastlog_fetch_waiting", v => v >= 1, TimeSpan.FromSeconds(30)), $"round {round}: the fetch never waited");
            await producer.SendAsync(Produce(topic, (0, Batch(2))), 7, correlationId: round);
            Assert.Equal(round, (await producer.ReceiveAsync()).CorrelationId);

            var answer = await fetcher.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(round, answer.CorrelationId);
            var partition = RawClient.Decode<FetchResponse>(answer.Body, 11).Responses.Single().Partitions.Single();
            Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
            Assert.True(partition.Records?.Length > 0, $"round {round}: no records");
        }
    }

    [Fact]
    public async Task Hundreds_of_connections_are_served_at_once()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var clients = new List<RawClient>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                clients.Add(await RawClient.ConnectAsync(broker.Port));
            }
            await Task.WhenAll(clients.Select((c, i) => c.SendAsync(new ApiVersionsRequest(), 2, i)));
            var answers = await Task.WhenAll(clients.Select(c => c.ReceiveAsync()));

            Assert.Equal(Enumerable.Range(0, 300), answers.Select(a => a.CorrelationId));
            Assert.All(answers, a => Assert.Equal(0, RawClient.Decode<ApiVersionsResponse>(a.Body, 2).ErrorCode));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_batch_with_a_bad_crc_is_refused_with_corrupt_message_and_nothing_is_written()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("crc");
        await Clients.CreateTopicAsync(broker, topic, partitions: 2);
        var good = Batch(3);
        var bad = Batch(3);
        bad[^1] ^= 0xFF;
        using var client = await RawClient.ConnectAsync(broker.Port);

        await client.SendAsync(Produce(topic, (0, bad), (1, good)), 7, correlationId: 1);
        var response = RawClient.Decode<ProduceResponse>((await client.ReceiveAsync()).Body, 7);

        var partitions = response.Responses.Single().PartitionResponses.OrderBy(p => p.Index).ToList();
        Assert.Equal((short)ErrorCode.CorruptMessage, partitions[0].ErrorCode);
        Assert.Equal((short)ErrorCode.None, partitions[1].ErrorCode);
        Assert.Equal(0, partitions[1].BaseOffset);
        await client.SendAsync(Fetch(topic, offset: 0, maxWaitMs: 0, partitionMaxBytes: 1 << 20, partition: 0), 11, correlationId: 2);
        var fetched = RawClient.Decode<FetchResponse>((await client.ReceiveAsync()).Body, 11);
        Assert.Equal(0, fetched.Responses.Single().Partitions.Single().HighWatermark);
    }

    [Fact]
    public async Task Old_produce_versions_are_announced_but_refused_when_used()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("v2");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var client = await RawClient.ConnectAsync(broker.Port);

        await client.SendAsync(new ApiVersionsRequest(), 0, 1);
        var versions = RawClient.Decode<ApiVersionsResponse>((await client.ReceiveAsync()).Body, 0);
        await client.SendAsync(Produce(topic, (0, Batch(1))), 2, correlationId: 2);
        var refused = RawClient.Decode<ProduceResponse>((await client.ReceiveAsync()).Body, 2);

        var produce = versions.ApiKeys.Single(k => k.ApiKey == (short)ApiKey.Produce);
        Assert.Equal((0, 7), (produce.MinVersion, produce.MaxVersion));
        Assert.Equal((short)ErrorCode.UnsupportedVersion, refused.Responses.Single().PartitionResponses.Single().ErrorCode);
    }

    [Fact]
    public async Task Fetch_respects_the_partition_and_response_byte_limits_but_returns_at_least_one_batch()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("limits");
        await Clients.CreateTopicAsync(broker, topic, partitions: 2);
        using var client = await RawClient.ConnectAsync(broker.Port);
        var batchSize = Batch(10).Length;
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync(Produce(topic, (0, Batch(10)), (1, Batch(10))), 7, correlationId: i);
            await client.ReceiveAsync();
        }

        await client.SendAsync(Fetch(topic, 0, 0, partitionMaxBytes: 3 * batchSize + 1, maxBytes: 4 * batchSize, partitions: [0, 1]), 11, 100);
        var limited = RawClient.Decode<FetchResponse>((await client.ReceiveAsync()).Body, 11).Responses.Single().Partitions;
        await client.SendAsync(Fetch(topic, 0, 0, partitionMaxBytes: 10, partitions: [0]), 11, 101);
        var tiny = RawClient.Decode<FetchResponse>((await client.ReceiveAsync()).Body, 11).Responses.Single().Partitions.Single();

        Assert.Equal(3 * batchSize, limited[0].Records!.Value.Length); // partition limit, whole batches only
        Assert.Equal(1 * batchSize, limited[1].Records!.Value.Length); // what the response limit leaves
        Assert.Equal(100, limited[0].HighWatermark);
        Assert.Equal(batchSize, tiny.Records!.Value.Length); // one batch even above the limit, so consumers progress
    }

    [Fact]
    public async Task Describe_cluster_offset_for_leader_epoch_and_sasl_handshake_answer_as_kafka_does()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("misc");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync(Produce(topic, (0, Batch(4))), 7, 1);
        await client.ReceiveAsync();

        await client.SendAsync(new DescribeClusterRequest(), 0, 2);
        var cluster = RawClient.Decode<DescribeClusterResponse>((await client.ReceiveAsync(flexibleHeader: true)).Body, 0);
        await client.SendAsync(new OffsetForLeaderEpochRequest
        {
            Topics = [new OffsetForLeaderEpochRequest.OffsetForLeaderTopic
            {
                Topic = topic,
                Partitions =
                [
                    new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 0, LeaderEpoch = 0 },
                    new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, CurrentLeaderEpoch = 5, LeaderEpoch = 5 },
                ],
            }],
        }, 3, 3);
        var epochs = RawClient.Decode<OffsetForLeaderEpochResponse>((await client.ReceiveAsync()).Body, 3).Topics.Single().Partitions;
        await client.SendAsync(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1, 4);
        var sasl = RawClient.Decode<SaslHandshakeResponse>((await client.ReceiveAsync()).Body, 1);

        Assert.Equal(0, cluster.ErrorCode);
        Assert.Equal(1, cluster.ControllerId);
        Assert.Equal(broker.Port, cluster.Brokers.Single().Port);
        Assert.False(string.IsNullOrEmpty(cluster.ClusterId));
        Assert.Equal((0, 4L), (epochs[0].LeaderEpoch, epochs[0].EndOffset)); // epoch 0 ends at the log end
        Assert.Equal((short)ErrorCode.UnknownLeaderEpoch, epochs[1].ErrorCode); // a newer epoch than the leader's
        Assert.Equal((short)ErrorCode.UnsupportedSaslMechanism, sasl.ErrorCode);
        Assert.Empty(sasl.Mechanisms);
    }

    private static byte[] Batch(int records) => RecordBatchBuilder.BuildDense(
        new RecordBatchOptions(),
        [.. Enumerable.Range(0, records).Select(i => Record.Create(null, new byte[20], 1_700_000_000_000 + i))]);

    private static ProduceRequest Produce(string topic, params (int Partition, byte[] Batch)[] data) => new()
    {
        Acks = 1,
        TimeoutMs = 10_000,
        TopicData = [new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [.. data.Select(d => new ProduceRequest.PartitionProduceData { Index = d.Partition, Records = d.Batch })],
        }],
    };

    private static FetchRequest Fetch(string topic, long offset, int maxWaitMs, int partitionMaxBytes, int maxBytes = int.MaxValue, int partition = 0, int[]? partitions = null) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = maxBytes,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [.. (partitions ?? [partition]).Select(p => new FetchRequest.FetchPartition { Partition = p, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes })],
        }],
    };
}
