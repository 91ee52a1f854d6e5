using FastLog.Storage;

namespace FastLog.Broker.Configuration;

/// <summary>
/// The broker's static configuration, as <see cref="BrokerConfigLoader"/> read it from server.properties and
/// <c>--override</c>s: typed values for what the broker itself uses, and every known config as text with its
/// source for DescribeConfigs. Only the loader builds one, so the typed values and the entries always agree.
/// </summary>
public sealed record BrokerConfig
{
    private static readonly Lazy<BrokerConfig> DefaultConfig =
        new(() => BrokerConfigLoader.FromProperties(new Dictionary<string, string>()));

    internal BrokerConfig()
    {
    }

    /// <summary>Kafka's defaults with FastLog's: one node, listening on 127.0.0.1:9092, logs under ./data.</summary>
    public static BrokerConfig Default => DefaultConfig.Value;

    /// <summary>listeners: the addresses to bind, in order; names are upper-cased and unique.</summary>
    public IReadOnlyList<Endpoint> Listeners { get; internal init; } = [];

    /// <summary>advertised.listeners, else listeners: what clients are told, one per listener name at most.</summary>
    public IReadOnlyList<Endpoint> AdvertisedListeners { get; internal init; } = [];

    /// <summary>log.dirs, else log.dir: as written (relative paths are relative to the working directory).</summary>
    public IReadOnlyList<string> LogDirs { get; internal init; } = [];

    /// <summary>node.id, else its older name broker.id.</summary>
    public int NodeId { get; internal init; }

    /// <summary>cluster.id; null when the metadata store is to generate (or already holds) one.</summary>
    public string? ClusterId { get; internal init; }

    public int NumPartitions { get; internal init; }
    public int DefaultReplicationFactor { get; internal init; }
    public bool AutoCreateTopicsEnable { get; internal init; }
    public bool DeleteTopicEnable { get; internal init; }
    public int SocketRequestMaxBytes { get; internal init; }

    /// <summary>connections.max.idle.ms; -1: idle connections are never closed.</summary>
    public long ConnectionsMaxIdleMs { get; internal init; }

    public int MessageMaxBytes { get; internal init; }
    public int MinInsyncReplicas { get; internal init; }

    /// <summary>num.recovery.threads.per.data.dir, at least 1.</summary>
    public int NumRecoveryThreadsPerDataDir { get; internal init; }

    public int LogSegmentBytes { get; internal init; }

    /// <summary>log.roll.ms, else log.roll.hours in milliseconds.</summary>
    public long LogRollMs { get; internal init; }

    /// <summary>log.retention.ms, else .minutes, else .hours, in milliseconds; -1 keeps segments forever.</summary>
    public long LogRetentionMs { get; internal init; }

    /// <summary>log.retention.bytes; -1: no size limit.</summary>
    public long LogRetentionBytes { get; internal init; }

    public CleanupPolicy LogCleanupPolicy { get; internal init; }
    public int LogIndexIntervalBytes { get; internal init; }
    public int LogIndexSizeMaxBytes { get; internal init; }
    public MessageTimestampType LogMessageTimestampType { get; internal init; }
    public long LogFlushIntervalMessages { get; internal init; }
    public long LogFlushIntervalMs { get; internal init; }

    /// <summary>log.preallocation (FastLog's own): how every new segment file is prepared.</summary>
    public SegmentPreallocation LogPreallocation { get; internal init; }

    /// <summary>log.prepare.ahead.bytes (FastLog's own): the zeroed window ahead of a prepared segment's appends.</summary>
    public int LogPrepareAheadBytes { get; internal init; }

    /// <summary>socket.send.buffer.bytes of accepted connections; -1: the operating system's default.</summary>
    public int SocketSendBufferBytes { get; internal init; }

    /// <summary>socket.receive.buffer.bytes of accepted connections; -1: the operating system's default.</summary>
    public int SocketReceiveBufferBytes { get; internal init; }

    /// <summary>metrics.listener (FastLog's own): where GET /metrics is served; null (the config empty) for nowhere.</summary>
    public Endpoint? MetricsListener { get; internal init; }

    /// <summary>The hardware profile the broker started with (--profile), or the built-in default.</summary>
    public Profiles.HardwareProfile Profile { get; internal init; } = Profiles.HardwareProfile.Default;

    /// <summary>socket.fetch.zero.copy (FastLog's own): fetched records go from the segment file to the socket with sendfile; false copies them.</summary>
    public bool SocketFetchZeroCopy { get; internal init; }

    public int OffsetsTopicNumPartitions { get; internal init; }
    public short OffsetsTopicReplicationFactor { get; internal init; }

    /// <summary>offsets.topic.segment.bytes: segment.bytes of __consumer_offsets when the broker creates it.</summary>
    public int OffsetsTopicSegmentBytes { get; internal init; }
    public int GroupInitialRebalanceDelayMs { get; internal init; }
    public int GroupMinSessionTimeoutMs { get; internal init; }
    public int GroupMaxSessionTimeoutMs { get; internal init; }

    /// <summary>log.retention.check.interval.ms: how often retention looks at every log.</summary>
    public long LogRetentionCheckIntervalMs { get; internal init; }

    /// <summary>producer.id.expiration.ms: a partition forgets an idle idempotent producer after this long.</summary>
    public int ProducerIdExpirationMs { get; internal init; }

    /// <summary>group.max.size: members one group may have.</summary>
    public int GroupMaxSize { get; internal init; }

    /// <summary>offsets.retention.minutes: committed offsets of an empty group are kept this long.</summary>
    public int OffsetsRetentionMinutes { get; internal init; }

    /// <summary>offset.metadata.max.bytes: the longest metadata string an offset commit may carry.</summary>
    public int OffsetMetadataMaxBytes { get; internal init; }
    public int TransactionMaxTimeoutMs { get; internal init; }

    /// <summary>log.cleaner.enable: whether compacted topics are cleaned at all.</summary>
    public bool LogCleanerEnable { get; internal init; }

    /// <summary>log.cleaner.threads: logs cleaned at once; 0 runs no cleaner.</summary>
    public int LogCleanerThreads { get; internal init; }

    /// <summary>log.cleaner.io.max.bytes.per.second: read plus write rate of all cleaner threads together.</summary>
    public double LogCleanerIoMaxBytesPerSecond { get; internal init; }

    /// <summary>log.cleaner.dedupe.buffer.size: key-map memory of all cleaner threads together.</summary>
    public long LogCleanerDedupeBufferSize { get; internal init; }

    /// <summary>log.cleaner.backoff.ms: the sleep when no log needs cleaning.</summary>
    public long LogCleanerBackoffMs { get; internal init; }

    /// <summary>
    /// Every config of <see cref="BrokerConfigDefinitions"/>, ordered by name, for DescribeConfigs of the broker
    /// resource: the value as written (STATIC_BROKER_CONFIG) or the default (DEFAULT_CONFIG; null when Kafka has none).
    /// </summary>
    public IReadOnlyList<ConfigEntry> Entries { get; internal init; } = [];

    /// <summary>The keys given that no broker config has, ordered; Kafka logs a warning for each and ignores it.</summary>
    public IReadOnlyList<string> UnknownKeys { get; internal init; } = [];

    /// <summary>Every property given, known or not, with the overrides applied (Kafka's originals).</summary>
    public IReadOnlyDictionary<string, string> Originals { get; internal init; } = new Dictionary<string, string>();

    internal IReadOnlyDictionary<string, ConfigEntry> EntriesByName { get; init; } = new Dictionary<string, ConfigEntry>();

    /// <summary>The entry of a known broker config; null for a name no broker config has.</summary>
    public ConfigEntry? FindEntry(string name) => EntriesByName.GetValueOrDefault(name);
}
