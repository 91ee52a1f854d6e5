using FastLog.TestSupport;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FastLog.Tools.Tests.Support;

/// <summary>
/// A topic of three partitions holding 10, 6 and 0 records, and a Confluent.Kafka consumer in a group that has read
/// them all and committed 4 on partition 0 and 6 on partition 1, nothing on partition 2. Record i of a partition has
/// timestamp <see cref="FirstTimestamp"/> + i seconds.
/// </summary>
public sealed class ConsumingGroup : IDisposable
{
    public const string ClientId = "fastlog-group-tests";
    public static readonly int[] RecordsPerPartition = [10, 6, 0];
    public static readonly long[] CommittedPerPartition = [4, 6, -1];

    private readonly BrokerProcess _broker;
    private readonly IConsumer<string, string> _consumer;
    private bool _closed;

    private ConsumingGroup(BrokerProcess broker, string topic, string groupId, DateTimeOffset firstTimestamp, IConsumer<string, string> consumer)
    {
        _broker = broker;
        Topic = topic;
        GroupId = groupId;
        FirstTimestamp = firstTimestamp;
        _consumer = consumer;
    }

    public string Topic { get; }
    public string GroupId { get; }
    public DateTimeOffset FirstTimestamp { get; }

    /// <summary>The id the coordinator gave the consumer (KIP-394), as describe shows it.</summary>
    public string MemberId => _consumer.MemberId;

    public static async Task<ConsumingGroup> StartAsync(BrokerProcess broker)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var topic = $"orders-{id}";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = RecordsPerPartition.Length, ReplicationFactor = 1 }]);
        }
        // Whole seconds an hour ago: a time --to-datetime can name exactly, and inside any retention.
        var first = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);
        await ProduceAsync(broker, topic, first);

        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = $"billing-{id}",
            ClientId = ClientId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        ConsumeAll(consumer);
        consumer.Commit([new TopicPartitionOffset(topic, 0, CommittedPerPartition[0]), new TopicPartitionOffset(topic, 1, CommittedPerPartition[1])]);
        return new ConsumingGroup(broker, topic, $"billing-{id}", first, consumer);
    }

    /// <summary>The consumer leaves the group (LeaveGroup), which is then Empty with its committed offsets.</summary>
    public void Close()
    {
        if (!_closed)
        {
            _closed = true;
            _consumer.Close();
        }
    }

    /// <summary>The group's committed offsets as a consumer sees them (OffsetFetch), -1001 (unset) where none.</summary>
    public long[] Committed()
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = GroupId }).Build();
        var partitions = Enumerable.Range(0, RecordsPerPartition.Length).Select(p => new TopicPartition(Topic, p));
        return [.. reader.Committed(partitions, TimeSpan.FromSeconds(30)).OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value)];
    }

    public void Dispose()
    {
        Close();
        _consumer.Dispose();
    }

    private static async Task ProduceAsync(BrokerProcess broker, string topic, DateTimeOffset first)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, EnableIdempotence = false }).Build();
        for (var partition = 0; partition < RecordsPerPartition.Length; partition++)
        {
            for (var i = 0; i < RecordsPerPartition[partition]; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string>
                {
                    Key = $"order-{i}",
                    Value = $"partition {partition} record {i}",
                    Timestamp = new Timestamp(first.AddSeconds(i)),
                });
            }
        }
    }

    private static void ConsumeAll(IConsumer<string, string> consumer)
    {
        var expected = RecordsPerPartition.Sum();
        var consumed = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (consumed < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the group consumed {consumed} of {expected} records within 60 seconds");
            }
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false })
            {
                consumed++;
            }
        }
    }
}
