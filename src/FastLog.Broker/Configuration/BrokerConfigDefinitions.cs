using B = FastLog.Broker.Configuration.BrokerConfigNames;

namespace FastLog.Broker.Configuration;

/// <summary>
/// The broker configs FastLog knows, with Kafka's types, defaults and checks. The broker configs a topic config
/// defaults from (log.segment.bytes for segment.bytes, ...) take the topic config's type, default and validator,
/// so that whatever the broker accepts is a valid topic value; in a chain such as log.retention.ms, .minutes,
/// .hours only the last one has a default, as in Kafka.
/// </summary>
public static class BrokerConfigDefinitions
{
    private static readonly ConfigKey[] OwnKeys =
    [
        // Each item is checked as an endpoint; the loader then checks the list as a whole.
        new(B.Listeners, ConfigType.List, "PLAINTEXT://127.0.0.1:9092", EndpointList()),
        new(B.AdvertisedListeners, ConfigType.List, null, EndpointList()),
        new(B.LogDirs, ConfigType.List, null, NonEmptyList("log directory")),
        new(B.LogDir, ConfigType.String, "./data", NonEmptyString()),
        new(B.NodeId, ConfigType.Int, "1", ConfigValidator.AtLeast(0)),
        new(B.BrokerId, ConfigType.Int, null, ConfigValidator.AtLeast(0)),
        new(B.ClusterId, ConfigType.String, null, NonEmptyString()),
        new(B.NumPartitions, ConfigType.Int, "1", ConfigValidator.AtLeast(1)),
        new(B.DefaultReplicationFactor, ConfigType.Int, "1", ConfigValidator.AtLeast(1)),
        new(B.AutoCreateTopicsEnable, ConfigType.Boolean, "true"),
        new(B.DeleteTopicEnable, ConfigType.Boolean, "true"),
        new(B.SocketRequestMaxBytes, ConfigType.Int, "104857600", ConfigValidator.AtLeast(1)),
        // -1: the operating system's default, as in Kafka.
        new(B.SocketSendBufferBytes, ConfigType.Int, "102400", ConfigValidator.AtLeast(-1)),
        new(B.SocketReceiveBufferBytes, ConfigType.Int, "102400", ConfigValidator.AtLeast(-1)),
        new(B.MetricsListener, ConfigType.String, "", MetricsListenerAddress()),
        new(B.LogPrepareAheadBytes, ConfigType.Int, "16777216", ConfigValidator.AtLeast(4 * 1024 * 1024)),
        // -1: never close an idle connection, as in Kafka.
        new(B.ConnectionsMaxIdleMs, ConfigType.Long, "600000", ConfigValidator.AtLeast(-1)),
        new(B.NumRecoveryThreadsPerDataDir, ConfigType.Int, "1", ConfigValidator.AtLeast(1)),
        new(B.LogPreallocation, ConfigType.String, SegmentPreallocations.Prepared,
            ConfigValidator.In(SegmentPreallocations.None, SegmentPreallocations.Fallocate, SegmentPreallocations.ZeroAhead, SegmentPreallocations.Prepared)),
        // FastLog's own: false sends fetched records through a user-space copy (the path TLS needs), for comparison.
        new(B.SocketFetchZeroCopy, ConfigType.Boolean, "true"),
        new(B.OffsetsTopicNumPartitions, ConfigType.Int, "50", ConfigValidator.AtLeast(1)),
        // Kafka's default is 3; a single-node FastLog could never create the topic with it.
        new(B.OffsetsTopicReplicationFactor, ConfigType.Short, "1", ConfigValidator.AtLeast(1)),
        // Kafka accepts 1; the storage layer needs room for a batch header, as segment.bytes does.
        new(B.OffsetsTopicSegmentBytes, ConfigType.Int, "104857600", ConfigValidator.Range(14, int.MaxValue - 1)),
        new(B.GroupInitialRebalanceDelayMs, ConfigType.Int, "3000", ConfigValidator.AtLeast(0)),
        new(B.GroupMinSessionTimeoutMs, ConfigType.Int, "6000", ConfigValidator.AtLeast(0)),
        new(B.GroupMaxSessionTimeoutMs, ConfigType.Int, "1800000", ConfigValidator.AtLeast(0)),
        new(B.GroupMaxSize, ConfigType.Int, "2147483647", ConfigValidator.AtLeast(1)),
        new(B.LogRetentionCheckIntervalMs, ConfigType.Long, "300000", ConfigValidator.AtLeast(1)),
        new(B.ProducerIdExpirationMs, ConfigType.Int, "86400000", ConfigValidator.AtLeast(1)),
        new(B.OffsetsRetentionMinutes, ConfigType.Int, "10080", ConfigValidator.AtLeast(1)),
        new(B.OffsetMetadataMaxBytes, ConfigType.Int, "4096", ConfigValidator.AtLeast(0)),
        new(B.TransactionMaxTimeoutMs, ConfigType.Int, "900000", ConfigValidator.AtLeast(1)),
        // The log cleaner (compaction), with Kafka's defaults: one thread, 128 MiB of key map shared by the
        // threads, no I/O limit (Double.MAX_VALUE), 15 s of sleep when no log needs cleaning.
        new(B.LogCleanerEnable, ConfigType.Boolean, "true"),
        new(B.LogCleanerThreads, ConfigType.Int, "1", ConfigValidator.AtLeast(0)),
        new(B.LogCleanerIoMaxBytesPerSecond, ConfigType.Double, "1.7976931348623157E308", ConfigValidator.Custom("positive", value => (double)value > 0 ? null : "must be positive")),
        new(B.LogCleanerDedupeBufferSize, ConfigType.Long, "134217728", ConfigValidator.AtLeast(1024 * 1024)),
        new(B.LogCleanerBackoffMs, ConfigType.Long, "15000", ConfigValidator.AtLeast(0)),

        // The synonyms counted in other units than their topic config; those in the same unit are derived below.
        new(B.LogRetentionMinutes, ConfigType.Int, null, ConfigValidator.AtLeast(-1)),
        new(B.LogRetentionHours, ConfigType.Int, "168", ConfigValidator.AtLeast(-1)),
        new(B.LogRollHours, ConfigType.Int, "168", ConfigValidator.AtLeast(1)),
        new(B.LogRollJitterHours, ConfigType.Int, "0", ConfigValidator.AtLeast(0)),
    ];

    private static readonly ConfigKey[] Keys = [.. OwnKeys, .. TopicSynonymKeys()];

    private static readonly Dictionary<string, ConfigKey> ByName = Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Every broker config, ordered by name.</summary>
    public static IReadOnlyList<ConfigKey> All { get; } = [.. Keys.OrderBy(k => k.Name, StringComparer.Ordinal)];

    public static ConfigKey? Find(string name) => ByName.GetValueOrDefault(name);

    private static IEnumerable<ConfigKey> TopicSynonymKeys()
    {
        foreach (var topicKey in TopicConfigDefinitions.All)
        {
            for (var i = 0; i < topicKey.Synonyms.Count; i++)
            {
                var synonym = topicKey.Synonyms[i];
                if (synonym.Scale != 1)
                {
                    continue;
                }
                var last = i == topicKey.Synonyms.Count - 1;
                yield return topicKey with { Name = synonym.Name, DefaultValue = last ? topicKey.DefaultValue : null, Synonyms = [] };
            }
        }
    }

    private static ConfigValidator EndpointList() => ConfigValidator.Custom("a list of NAME://host:port", value =>
    {
        var items = (IReadOnlyList<string>)value;
        foreach (var item in items)
        {
            if (!Endpoint.TryParse(item, out _, out var reason))
            {
                return items.Count == 1 ? reason : $"contains \"{item}\", which {reason}";
            }
        }
        return null;
    });

    private static ConfigValidator NonEmptyList(string what) => ConfigValidator.Custom($"a non-empty list of {what}s", value =>
    {
        var items = (IReadOnlyList<string>)value;
        return items.Count == 0 || items.Any(item => item.Length == 0) ? $"must be a comma-separated list of {what}s, none empty" : null;
    });

    private static ConfigValidator MetricsListenerAddress() => ConfigValidator.Custom("empty, or host:port", value =>
        ((string)value).Length == 0 || MetricsListeners.TryParse((string)value, out _)
            ? null
            : "must be empty (no metrics endpoint) or host:port, such as 127.0.0.1:9404");

    private static ConfigValidator NonEmptyString() =>
        ConfigValidator.Custom("a non-empty string", value => ((string)value).Length == 0 ? "must not be empty" : null);
}
