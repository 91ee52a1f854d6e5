using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FastLog.Tools.Groups;

/// <summary>A group as the coordinator describes it (DescribeGroups), and its committed offsets (OffsetFetch).</summary>
internal static class GroupLookup
{
    /// <summary>The group's description, or null when it does not exist.</summary>
    public static async Task<ConsumerGroupDescription?> DescribeAsync(BrokerConnection broker, string groupId)
    {
        ConsumerGroupDescription description;
        try
        {
            var result = await broker.Admin.DescribeConsumerGroupsAsync([groupId], new DescribeConsumerGroupsOptions { RequestTimeout = broker.Timeout }).ConfigureAwait(false);
            description = result.ConsumerGroupDescriptions.Single();
        }
        catch (DescribeConsumerGroupsException e) when (e.Results.ConsumerGroupDescriptions.SingleOrDefault()?.Error.Code == ErrorCode.GroupIdNotFound)
        {
            return null; // what the KIP-848 ConsumerGroupDescribe answers for an unknown group
        }
        // The classic DescribeGroups answers an unknown group as Dead without an error, as Kafka's broker does.
        return description.State == ConsumerGroupState.Dead ? null : description;
    }

    /// <summary>Every partition the group has committed an offset for, with that offset.</summary>
    public static async Task<Dictionary<TopicPartition, long>> CommittedOffsetsAsync(BrokerConnection broker, string groupId)
    {
        var results = await broker.Admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(groupId, null)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = broker.Timeout }).ConfigureAwait(false);
        return results.Single().Partitions
            .Where(p => p.Offset.Value >= 0)
            .ToDictionary(p => p.TopicPartition, p => p.Offset.Value);
    }
}
