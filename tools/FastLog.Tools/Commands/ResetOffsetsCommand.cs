using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Tools.Cli;
using FastLog.Tools.Groups;

namespace FastLog.Tools.Commands;

/// <summary>
/// "fastlog group reset-offsets &lt;group&gt; --topic T[:P,...] --to-...": prints the new offsets, and with --execute
/// commits them. Like kafka-consumer-groups it only touches a group without members: a running consumer would
/// overwrite the reset with its next commit, and the coordinator refuses commits from outside the generation anyway.
/// </summary>
internal static class ResetOffsetsCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = Arguments.Parse(args, [.. ResetScenario.Flags, "--execute"], [.. BrokerConnection.Options, .. ResetScenario.Options, "--topic"]);
        var groupId = parsed.SinglePath("group id");
        if (!parsed.Has("--topic"))
        {
            throw new UsageException("reset-offsets needs --topic T (every partition) or --topic T:0,2 (some)");
        }
        var selection = PartitionSelection.Parse(parsed.Value("--topic", ""));
        var scenario = ResetScenario.Parse(parsed);
        var execute = parsed.Flag("--execute");
        using var broker = BrokerConnection.Open(parsed);
        return broker.Run(() => ResetAsync(broker, groupId, selection, scenario, execute, output, error), output, error);
    }

    private static async Task<int> ResetAsync(
        BrokerConnection broker, string groupId, PartitionSelection selection, ResetScenario scenario, bool execute, TextWriter output, TextWriter error)
    {
        // No description means no group yet: Kafka lets a reset create its offsets, so a group can start where it is told.
        if (await GroupLookup.DescribeAsync(broker, groupId).ConfigureAwait(false) is { State: not ConsumerGroupState.Empty } group)
        {
            error.WriteLine(
                $"error: offsets can only be reset while consumer group '{groupId}' is inactive, but it is {group.State} " +
                $"with {group.Members.Count} member(s); stop its consumers first");
            return ExitCodes.Refused;
        }
        if (Partitions(broker, selection, error) is not { } partitions)
        {
            return ExitCodes.Refused;
        }

        var plan = partitions.Select(p => new TopicPartitionOffset(p, scenario.NewOffset(broker, p, error))).ToList();
        if (execute)
        {
            try
            {
                await broker.Admin.AlterConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitionOffsets(groupId, plan)],
                    new AlterConsumerGroupOffsetsOptions { RequestTimeout = broker.Timeout }).ConfigureAwait(false);
            }
            catch (AlterConsumerGroupOffsetsException e)
            {
                // Typically a consumer joined since the check above, and the coordinator refuses commits from outside its generation.
                var failures = e.Results.SelectMany(r => r.Partitions).Where(p => p.Error.IsError).Select(p => $"{p.Topic}-{p.Partition.Value}: {p.Error.Reason}");
                var reasons = e.Results.Where(r => r.Error.IsError).Select(r => r.Error.Reason).Concat(failures);
                error.WriteLine($"error: the broker refused the new offsets of consumer group '{groupId}': {string.Join("; ", reasons)}");
                return ExitCodes.Refused;
            }
        }

        var table = new TextTable("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        foreach (var entry in plan)
        {
            table.Add(groupId, entry.Topic, Text(entry.Partition.Value), Text(entry.Offset.Value));
        }
        table.WriteTo(output);
        if (!execute)
        {
            error.WriteLine("dry run: nothing was committed; add --execute to commit these offsets");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The selected partitions, or null (with a message) when the topic or one of them does not exist.</summary>
    private static List<TopicPartition>? Partitions(BrokerConnection broker, PartitionSelection selection, TextWriter error)
    {
        if (broker.PartitionsOf(selection.Topic) is not { } existing)
        {
            error.WriteLine($"error: topic '{selection.Topic}' does not exist");
            return null;
        }
        var missing = (selection.Partitions ?? []).Except(existing).ToList();
        if (missing.Count > 0)
        {
            error.WriteLine($"error: topic '{selection.Topic}' has no partition {string.Join(", ", missing)} (it has {existing.Count})");
            return null;
        }
        return [.. (selection.Partitions ?? existing).Select(p => new TopicPartition(selection.Topic, p))];
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
