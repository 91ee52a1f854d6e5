using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// Where a consumer starts. The consumers assign partitions directly instead of joining a group: no rebalance
/// delay in the figures, and nothing asked of the broker's group coordinator.
/// </summary>
internal static class PartitionAssignment
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void FromBeginning(IConsumer<Ignore, byte[]> consumer, TopicInfo topic) =>
        consumer.Assign(Partitions(topic).Select(p => new TopicPartitionOffset(p, Offset.Beginning)));

    /// <summary>
    /// At each partition's current end, read as an exact offset before anything is produced: a symbolic "end" is
    /// resolved later, and messages produced in between would be skipped and show up as never consumed.
    /// </summary>
    public static void AtEnd(IConsumer<Ignore, byte[]> consumer, TopicInfo topic)
    {
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in Partitions(topic))
        {
            try
            {
                starts.Add(new TopicPartitionOffset(partition, consumer.QueryWatermarkOffsets(partition, Timeout).High));
            }
            catch (KafkaException e)
            {
                throw new SetupException($"could not read the end offset of {partition}: {e.Error.Reason}");
            }
        }
        consumer.Assign(starts);
    }

    private static IEnumerable<TopicPartition> Partitions(TopicInfo topic) =>
        Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartition(topic.Name, p));
}
