using FastLog.TestSupport;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FastLog.Broker.Tests.Support;

/// <summary>Confluent.Kafka (librdkafka) clients pointed at a test broker.</summary>
public static class Clients
{
    public static IAdminClient Admin(BrokerProcess broker) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    public static IProducer<TKey, TValue> Producer<TKey, TValue>(BrokerProcess broker, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            Acks = Acks.Leader,
            LingerMs = 5,
            EnableIdempotence = false,
            MessageTimeoutMs = 30_000,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<TKey, TValue>(config).Build();
    }

    /// <summary>A consumer for assign(); Confluent.Kafka insists on a group id, which assign() never uses.</summary>
    public static IConsumer<TKey, TValue> Consumer<TKey, TValue>(BrokerProcess broker, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = $"assign-only-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<TKey, TValue>(config).Build();
    }

    public static async Task CreateTopicAsync(BrokerProcess broker, string topic, int partitions, Dictionary<string, string>? configs = null)
    {
        using var admin = Admin(broker);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }]);
    }

    /// <summary>Reads a partition from <paramref name="from"/> up to its high watermark, with a deadline.</summary>
    public static List<ConsumeResult<TKey, TValue>> ReadPartition<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partition, Offset from, TimeSpan? timeout = null)
    {
        var tp = new TopicPartition(topic, partition);
        var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(tp, from));
        var results = new List<ConsumeResult<TKey, TValue>>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var next = from.Value >= 0 ? from.Value : 0;
        while (next < end && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }
            results.Add(result);
            next = result.Offset.Value + 1;
        }
        consumer.Unassign();
        return results;
    }
}
