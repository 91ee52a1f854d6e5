namespace FastLog.Broker.Configuration;

/// <summary>The names of the broker configs FastLog reads itself (Kafka's names; log.preallocation and socket.fetch.zero.copy are FastLog's).</summary>
public static class BrokerConfigNames
{
    public const string Listeners = "listeners";
    public const string AdvertisedListeners = "advertised.listeners";
    public const string LogDirs = "log.dirs";
    public const string LogDir = "log.dir";
    public const string NodeId = "node.id";
    public const string BrokerId = "broker.id";
    public const string ClusterId = "cluster.id";
    public const string NumPartitions = "num.partitions";
    public const string DefaultReplicationFactor = "default.replication.factor";
    public const string AutoCreateTopicsEnable = "auto.create.topics.enable";
    public const string DeleteTopicEnable = "delete.topic.enable";
    public const string SocketRequestMaxBytes = "socket.request.max.bytes";
    public const string SocketSendBufferBytes = "socket.send.buffer.bytes";
    public const string SocketReceiveBufferBytes = "socket.receive.buffer.bytes";
    /// <summary>FastLog's own: how far ahead of the appends the prepared preallocation zeroes blocks.</summary>
    public const string LogPrepareAheadBytes = "log.prepare.ahead.bytes";
    /// <summary>FastLog's own: host:port of the HTTP metrics endpoint (GET /metrics); empty: none.</summary>
    public const string MetricsListener = "metrics.listener";
    public const string ConnectionsMaxIdleMs = "connections.max.idle.ms";
    public const string MessageMaxBytes = "message.max.bytes";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string NumRecoveryThreadsPerDataDir = "num.recovery.threads.per.data.dir";
    public const string LogSegmentBytes = "log.segment.bytes";
    public const string LogRollMs = "log.roll.ms";
    public const string LogRollHours = "log.roll.hours";
    public const string LogRollJitterMs = "log.roll.jitter.ms";
    public const string LogRollJitterHours = "log.roll.jitter.hours";
    public const string LogRetentionMs = "log.retention.ms";
    public const string LogRetentionMinutes = "log.retention.minutes";
    public const string LogRetentionHours = "log.retention.hours";
    public const string LogRetentionBytes = "log.retention.bytes";
    public const string LogCleanupPolicy = "log.cleanup.policy";
    public const string LogIndexIntervalBytes = "log.index.interval.bytes";
    public const string LogIndexSizeMaxBytes = "log.index.size.max.bytes";
    public const string LogMessageTimestampType = "log.message.timestamp.type";
    public const string LogFlushIntervalMessages = "log.flush.interval.messages";
    public const string LogFlushIntervalMs = "log.flush.interval.ms";
    public const string LogPreallocation = "log.preallocation";
    public const string SocketFetchZeroCopy = "socket.fetch.zero.copy";
    public const string OffsetsTopicNumPartitions = "offsets.topic.num.partitions";
    public const string OffsetsTopicReplicationFactor = "offsets.topic.replication.factor";
    public const string OffsetsTopicSegmentBytes = "offsets.topic.segment.bytes";
    public const string GroupInitialRebalanceDelayMs = "group.initial.rebalance.delay.ms";
    public const string GroupMinSessionTimeoutMs = "group.min.session.timeout.ms";
    public const string GroupMaxSessionTimeoutMs = "group.max.session.timeout.ms";
    public const string GroupMaxSize = "group.max.size";
    public const string LogRetentionCheckIntervalMs = "log.retention.check.interval.ms";
    public const string ProducerIdExpirationMs = "producer.id.expiration.ms";
    public const string OffsetsRetentionMinutes = "offsets.retention.minutes";
    public const string OffsetMetadataMaxBytes = "offset.metadata.max.bytes";
    public const string TransactionMaxTimeoutMs = "transaction.max.timeout.ms";
    public const string LogCleanerEnable = "log.cleaner.enable";
    public const string LogCleanerThreads = "log.cleaner.threads";
    public const string LogCleanerIoMaxBytesPerSecond = "log.cleaner.io.max.bytes.per.second";
    public const string LogCleanerDedupeBufferSize = "log.cleaner.dedupe.buffer.size";
    public const string LogCleanerBackoffMs = "log.cleaner.backoff.ms";
}
