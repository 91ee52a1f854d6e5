using FastLog.Broker.Configuration;
using FastLog.Broker.Metadata;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Topics;

/// <summary>
/// Topic lifecycle with Kafka's rules and error codes: create (and auto-create), delete, add partitions,
/// replace configs. Changes go to the metadata store first, then to the hosted partitions, under one lock so
/// concurrent admin requests see a consistent order.
/// </summary>
public sealed class TopicAdmin(IMetadataStore metadata, ReplicaManager replicas, BrokerConfig config)
{
    /// <summary>Brokers in the cluster; one until replication exists.</summary>
    private const int BrokerCount = 1;

    private readonly Lock _lock = new();

    public TopicMetadata Create(string name, int numPartitions, short replicationFactor, IReadOnlyDictionary<string, string> configs, bool validateOnly)
    {
        if (TopicNames.Validate(name) is { } invalid)
        {
            throw new TopicException(ErrorCode.InvalidTopicException, invalid);
        }
        if (TopicNames.IsInternal(name))
        {
            throw new TopicException(ErrorCode.InvalidRequest, $"'{name}' is an internal topic name");
        }
        var partitions = numPartitions == -1 ? config.NumPartitions : numPartitions;
        var factor = replicationFactor == -1 ? (short)config.DefaultReplicationFactor : replicationFactor;
        if (partitions <= 0)
        {
            throw new TopicException(ErrorCode.InvalidPartitions, $"number of partitions must be positive, got {partitions}");
        }
        if (factor <= 0 || factor > BrokerCount)
        {
            throw new TopicException(ErrorCode.InvalidReplicationFactor, $"replication factor {factor} is larger than the {BrokerCount} available broker(s)");
        }
        ValidateConfigs(configs);

        lock (_lock)
        {
            if (metadata.GetTopic(name) is not null)
            {
                throw new TopicException(ErrorCode.TopicAlreadyExists, $"topic '{name}' already exists");
            }
            if (validateOnly)
            {
                return new TopicMetadata(name, Guid.Empty, partitions, factor, configs);
            }
            var topic = metadata.CreateTopic(name, partitions, factor, configs);
            replicas.Host(topic);
            return topic;
        }
    }

    /// <summary>The topic, created with the broker defaults when auto-creation is on and allowed by the request.</summary>
    public TopicMetadata? GetOrAutoCreate(string name, bool allowedByRequest)
    {
        if (metadata.GetTopic(name) is { } topic)
        {
            return topic;
        }
        if (!allowedByRequest || !config.AutoCreateTopicsEnable || TopicNames.Validate(name) is not null || TopicNames.IsInternal(name))
        {
            return null;
        }
        try
        {
            return Create(name, -1, -1, new Dictionary<string, string>(), validateOnly: false);
        }
        catch (TopicException e) when (e.Code == ErrorCode.TopicAlreadyExists)
        {
            return metadata.GetTopic(name);
        }
    }

    public void Delete(string name)
    {
        if (!config.DeleteTopicEnable)
        {
            throw new TopicException(ErrorCode.TopicDeletionDisabled, "topic deletion is disabled (delete.topic.enable=false)");
        }
        lock (_lock)
        {
            if (!metadata.DeleteTopic(name))
            {
                throw new TopicException(ErrorCode.UnknownTopicOrPartition, $"topic '{name}' does not exist");
            }
            replicas.Remove(name);
        }
    }

    public TopicMetadata CreatePartitions(string name, int count, bool validateOnly)
    {
        lock (_lock)
        {
            var topic = metadata.GetTopic(name) ?? throw new TopicException(ErrorCode.UnknownTopicOrPartition, $"topic '{name}' does not exist");
            if (count <= topic.PartitionCount)
            {
                throw new TopicException(ErrorCode.InvalidPartitions, $"topic '{name}' has {topic.PartitionCount} partitions; the new count {count} must be larger");
            }
            if (validateOnly)
            {
                return topic with { PartitionCount = count };
            }
            var grown = metadata.SetPartitionCount(name, count);
            replicas.Host(grown);
            return grown;
        }
    }

    /// <summary>Replaces every override of the topic (AlterConfigs semantics; incremental callers merge first).</summary>
    public TopicMetadata ReplaceConfigs(string name, IReadOnlyDictionary<string, string> configs, bool validateOnly)
    {
        ValidateConfigs(configs);
        lock (_lock)
        {
            var topic = metadata.GetTopic(name) ?? throw new TopicException(ErrorCode.UnknownTopicOrPartition, $"topic '{name}' does not exist");
            if (validateOnly)
            {
                return topic with { Configs = configs };
            }
            var updated = metadata.SetConfigs(name, configs);
            replicas.Reconfigure(updated);
            return updated;
        }
    }

    private static void ValidateConfigs(IReadOnlyDictionary<string, string> configs)
    {
        foreach (var (key, value) in configs)
        {
            if (TopicConfigDefinitions.Validate(key, value) is { } error)
            {
                throw new TopicException(ErrorCode.InvalidConfig, error);
            }
        }
    }
}
