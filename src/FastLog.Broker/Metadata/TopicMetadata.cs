namespace FastLog.Broker.Metadata;

/// <summary>A topic as the cluster knows it: id, partition count, replication factor and its config overrides.</summary>
public sealed record TopicMetadata(
    string Name,
    Guid TopicId,
    int PartitionCount,
    short ReplicationFactor,
    IReadOnlyDictionary<string, string> Configs);
