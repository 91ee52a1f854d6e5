using System.Net.Sockets;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>acks, min.insync.replicas, auto-creation, DeleteRecords and long polls, as Kafka users expect them.</summary>
public sealed class ProduceSemanticsTests
{
    [Fact]
    public async Task Acks_zero_one_and_all_each_get_their_messages_stored()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("acks");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);

        foreach (var acks in new[] { Acks.None, Acks.Leader, Acks.All })
        {
            using var producer = Clients.Producer<Null, string>(broker, c => c.Acks = acks);
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = $"{acks}-{i}" });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        using var consumer = Clients.Consumer<Null, string>(broker);
        var values = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning).Select(r => r.Message.Value).ToList();

        Assert.Equal(300, values.Count);
        Assert.Equal(["None-0", "Leader-0", "All-0"], values.Where(v => v.EndsWith("-0", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Acks_all_on_a_topic_needing_more_in_sync_replicas_than_it_has_is_refused()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("minisr");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        using var all = Clients.Producer<Null, string>(broker, c => { c.Acks = Acks.All; c.MessageTimeoutMs = 3000; c.LingerMs = 0; });
        using var leader = Clients.Producer<Null, string>(broker, c => c.Acks = Acks.Leader);

        var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => all.ProduceAsync(topic, new Message<Null, string> { Value = "x" }));
        var accepted = await leader.ProduceAsync(topic, new Message<Null, string> { Value = "y" });

        Assert.Contains(refused.Error.Code, new[] { ErrorCode.NotEnoughReplicas, ErrorCode.Local_MsgTimedOut });
        Assert.Equal(0, accepted.Offset.Value);
    }

    [Fact]
    public async Task Producing_to_an_unknown_topic_creates_it_with_the_broker_defaults()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "num.partitions=4");
        var topic = TestTopics.Unique("auto");
        using var producer = Clients.Producer<Null, string>(broker);

        var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "first" });
        using var admin = Clients.Admin(broker);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        Assert.Equal(4, metadata.Partitions.Count);
    }

    [Fact]
    public async Task Auto_creation_can_be_turned_off()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "auto.create.topics.enable=false");
        using var admin = Clients.Admin(broker);

        var metadata = admin.GetMetadata(TestTopics.Unique("noauto"), TimeSpan.FromSeconds(10)).Topics.Single();

        Assert.Equal(ErrorCode.UnknownTopicOrPart, metadata.Error.Code);
    }

    [Fact]
    public async Task Delete_records_moves_the_log_start_and_consumers_below_it_reset()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("delrec");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = $"v{i}" });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        using var admin = Clients.Admin(broker);

        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 60)]);
        using var consumer = Clients.Consumer<Null, string>(broker, c => c.AutoOffsetReset = AutoOffsetReset.Earliest);
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        var read = Clients.ReadPartition(consumer, topic, 0, new Offset(10)); // below the start: reset to earliest

        Assert.Equal(60, deleted.Single().Offset.Value);
        Assert.Equal(60, watermarks.Low.Value);
        Assert.Equal("v60", read.First().Message.Value);
        Assert.Equal(40, read.Count);
    }

    [Fact]
    public async Task A_waiting_fetch_returns_the_message_produced_while_it_waits()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("longpoll");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var consumer = Clients.Consumer<Null, string>(broker, c => { c.FetchWaitMaxMs = 5000; c.FetchMinBytes = 1; });
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        consumer.Consume(TimeSpan.FromMilliseconds(500)); // the consumer is now parked in a long poll on the empty partition

        using var producer = Clients.Producer<Null, string>(broker);
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "wake up" });
        ConsumeResult<Null, string>? result = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (result is null && DateTime.UtcNow < deadline)
        {
            result = consumer.Consume(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal("wake up", result?.Message.Value);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_connections_max_idle_ms()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "connections.max.idle.ms=500");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.Port);
        var buffer = new byte[16];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var read = await client.GetStream().ReadAsync(buffer, deadline.Token); // returns 0 when the broker closes

        Assert.Equal(0, read);
        Assert.True(await broker.WaitForOutputAsync("connections.max.idle.ms", TimeSpan.FromSeconds(30)), broker.Output);
    }
}
