namespace FastLog.Broker.Metadata;

/// <summary>
/// Where the cluster's metadata lives. One node keeps it in a local file (<see cref="EmbeddedMetadataStore"/>);
/// a cluster will keep it in etcd behind the same interface. Every change is durable when the call returns.
/// </summary>
public interface IMetadataStore
{
    string ClusterId { get; }

    IReadOnlyCollection<TopicMetadata> Topics { get; }

    TopicMetadata? GetTopic(string name);

    /// <summary>Creates the topic; throws <see cref="TopicExistsException"/> if the name is taken.</summary>
    TopicMetadata CreateTopic(string name, int partitionCount, short replicationFactor, IReadOnlyDictionary<string, string> configs);

    /// <summary>Removes the topic; false if it did not exist.</summary>
    bool DeleteTopic(string name);

    TopicMetadata SetPartitionCount(string name, int partitionCount);

    /// <summary>Replaces the topic's config overrides as a whole.</summary>
    TopicMetadata SetConfigs(string name, IReadOnlyDictionary<string, string> configs);
}

public sealed class TopicExistsException(string name) : Exception($"topic '{name}' already exists");
