using System.Globalization;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Groups;

/// <summary>
/// The --topic of reset-offsets in kafka-consumer-groups' syntax: "T" for every partition of T, "T:0,2" for some.
/// Topic names cannot hold ':' (Kafka allows letters, digits, '.', '_' and '-'), so the first ':' splits.
/// </summary>
internal sealed record PartitionSelection(string Topic, IReadOnlyList<int>? Partitions)
{
    public static PartitionSelection Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var topic = colon < 0 ? text : text[..colon];
        if (topic.Length == 0)
        {
            throw new UsageException($"--topic needs a topic name, got '{text}'");
        }
        if (colon < 0)
        {
            return new PartitionSelection(topic, null);
        }
        var partitions = new SortedSet<int>();
        foreach (var item in text[(colon + 1)..].Split(','))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                throw new UsageException($"--topic {text}: partitions are a comma-separated list of numbers, like {topic}:0,2");
            }
            partitions.Add(partition);
        }
        return new PartitionSelection(topic, [.. partitions]);
    }
}
