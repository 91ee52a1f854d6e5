using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Tools.Cli;
using FastLog.Tools.Groups;

namespace FastLog.Tools.Commands;

/// <summary>
/// "fastlog group describe &lt;group&gt;": the group's state, then one line per partition with its committed offset, log
/// end offset and lag, and the member it is assigned to, as kafka-consumer-groups --describe prints them.
/// </summary>
internal static class GroupDescribeCommand
{
    private const string None = "-";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = Arguments.Parse(args, [], BrokerConnection.Options);
        var groupId = parsed.SinglePath("group id");
        using var broker = BrokerConnection.Open(parsed);
        return broker.Run(() => DescribeAsync(broker, groupId, output, error), output, error);
    }

    private static async Task<int> DescribeAsync(BrokerConnection broker, string groupId, TextWriter output, TextWriter error)
    {
        if (await GroupLookup.DescribeAsync(broker, groupId).ConfigureAwait(false) is not { } group)
        {
            error.WriteLine($"error: consumer group '{groupId}' does not exist");
            return ExitCodes.Refused;
        }
        var committed = await GroupLookup.CommittedOffsetsAsync(broker, groupId).ConfigureAwait(false);

        output.WriteLine(StateLine(group));
        output.WriteLine();
        var table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
        var owners = group.Members
            .SelectMany(m => m.Assignment?.TopicPartitions ?? [], (member, partition) => (member, partition))
            .ToDictionary(a => a.partition, a => a.member);
        // Partitions with an owner or a committed offset, as Kafka lists them: committed but unassigned ones show "-" members.
        foreach (var partition in owners.Keys.Union(committed.Keys).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value))
        {
            long? current = committed.TryGetValue(partition, out var offset) ? offset : null;
            var logEnd = LogEndOffset(broker, partition);
            var owner = owners.GetValueOrDefault(partition);
            table.Add(
                groupId, partition.Topic, Text(partition.Partition.Value), Text(current), Text(logEnd), Text(logEnd - current),
                owner?.ConsumerId ?? None, owner?.Host ?? None, owner?.ClientId ?? None);
        }
        // A member without partitions (more consumers than partitions, or mid-rebalance) still gets its line.
        foreach (var member in group.Members.Where(m => m.Assignment?.TopicPartitions is not { Count: > 0 }))
        {
            table.Add(groupId, None, None, None, None, None, member.ConsumerId, member.Host, member.ClientId);
        }
        table.WriteTo(output);
        return ExitCodes.Ok;
    }

    private static string StateLine(ConsumerGroupDescription group) => group.Members.Count switch
    {
        0 => $"Consumer group '{group.GroupId}' is {group.State}: it has no active members.",
        1 => $"Consumer group '{group.GroupId}' is {group.State} with 1 member.",
        var n => $"Consumer group '{group.GroupId}' is {group.State} with {n} members.",
    };

    /// <summary>The high watermark, or null for a partition the broker no longer has (its topic deleted since the commit).</summary>
    private static long? LogEndOffset(BrokerConnection broker, TopicPartition partition)
    {
        try
        {
            return broker.Watermarks(partition).High.Value;
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition)
        {
            return null;
        }
    }

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? None;
}
