using FastLog.Storage;
using N = FastLog.Broker.Configuration.TopicConfigNames;

namespace FastLog.Broker.Configuration;

/// <summary>
/// Every topic config of one topic with its value and source, as DescribeConfigs of the topic shows them, and the
/// values the broker acts on, parsed once. Built by <see cref="TopicConfigResolver"/> from checked values only.
/// </summary>
public sealed class EffectiveTopicConfig
{
    private readonly Dictionary<string, ConfigEntry> _byName;

    internal EffectiveTopicConfig(IReadOnlyList<ConfigEntry> entries, SegmentPreallocation preallocation, int prepareAheadBytes)
    {
        PrepareAheadBytes = prepareAheadBytes;
        Entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        Preallocation = preallocation;

        MaxMessageBytes = Value<int>(N.MaxMessageBytes);
        MinInsyncReplicas = Value<int>(N.MinInsyncReplicas);
        CleanupPolicy = CleanupPolicies.From(Value<IReadOnlyList<string>>(N.CleanupPolicy));
        RetentionMs = Value<long>(N.RetentionMs);
        RetentionBytes = Value<long>(N.RetentionBytes);
        MessageTimestampType = Enum.Parse<MessageTimestampType>(Value<string>(N.MessageTimestampType));
        FlushMessages = Value<long>(N.FlushMessages);
        FlushMs = Value<long>(N.FlushMs);
        FlushPolicy = FlushPolicies.From(Value<string>(N.FlushPolicy));
        SegmentBytes = Value<int>(N.SegmentBytes);
        SegmentMs = Value<long>(N.SegmentMs);
        SegmentIndexBytes = Value<int>(N.SegmentIndexBytes);
        IndexIntervalBytes = Value<int>(N.IndexIntervalBytes);
        DeleteRetentionMs = Value<long>(N.DeleteRetentionMs);
        MinCleanableDirtyRatio = Value<double>(N.MinCleanableDirtyRatio);
        MinCompactionLagMs = Value<long>(N.MinCompactionLagMs);
        MaxCompactionLagMs = Value<long>(N.MaxCompactionLagMs);
    }

    /// <summary>Every topic config of <see cref="TopicConfigDefinitions"/>, ordered by name.</summary>
    public IReadOnlyList<ConfigEntry> Entries { get; }

    /// <summary>max.message.bytes: the largest record batch the topic accepts.</summary>
    public int MaxMessageBytes { get; }

    public int MinInsyncReplicas { get; }
    public CleanupPolicy CleanupPolicy { get; }

    /// <summary>retention.ms; -1: no time limit.</summary>
    public long RetentionMs { get; }

    /// <summary>retention.bytes per partition; -1: no size limit.</summary>
    public long RetentionBytes { get; }

    public MessageTimestampType MessageTimestampType { get; }

    /// <summary>flush.messages: appended messages between two forced flushes.</summary>
    public long FlushMessages { get; }

    /// <summary>flush.ms: most time a message stays unflushed.</summary>
    public long FlushMs { get; }

    /// <summary>flush.policy: when appends are flushed relative to their acknowledgement.</summary>
    public LogFlushPolicy FlushPolicy { get; }

    public int SegmentBytes { get; }
    public long SegmentMs { get; }

    /// <summary>
    /// The age at which the active segment rolls: for a compacted topic also max.compaction.lag.ms, since the
    /// active segment is never cleaned (Kafka's LogConfig.maxSegmentMs).
    /// </summary>
    public long MaxSegmentMs => CleanupPolicy.HasFlag(CleanupPolicy.Compact) ? Math.Min(SegmentMs, MaxCompactionLagMs) : SegmentMs;
    public int SegmentIndexBytes { get; }
    public int IndexIntervalBytes { get; }

    /// <summary>delete.retention.ms: how long a tombstone stays after the cleaner first sees it.</summary>
    public long DeleteRetentionMs { get; }

    /// <summary>min.cleanable.dirty.ratio: a compacted log is cleaned once its dirty share exceeds this.</summary>
    public double MinCleanableDirtyRatio { get; }

    /// <summary>min.compaction.lag.ms: records stay uncompacted at least this long.</summary>
    public long MinCompactionLagMs { get; }

    /// <summary>max.compaction.lag.ms: dirty records older than this make their log cleaned whatever its ratio.</summary>
    public long MaxCompactionLagMs { get; }

    /// <summary>From the broker's log.preallocation: a broker-wide choice, not a topic config.</summary>
    public SegmentPreallocation Preallocation { get; }

    /// <summary>From the broker's log.prepare.ahead.bytes.</summary>
    public int PrepareAheadBytes { get; }

    /// <summary>The entry of a topic config; a <see cref="KeyNotFoundException"/> for a name no topic config has.</summary>
    public ConfigEntry this[string name] =>
        _byName.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"Unknown topic config name: {name}");

    /// <summary>The settings the partition logs of this topic take.</summary>
    public LogConfig ToLogConfig() => new()
    {
        SegmentBytes = SegmentBytes,
        SegmentMs = MaxSegmentMs,
        IndexIntervalBytes = IndexIntervalBytes,
        MaxIndexBytes = SegmentIndexBytes,
        Preallocation = Preallocation,
        PrepareAheadBytes = PrepareAheadBytes,
        FlushPolicy = FlushPolicy,
        FlushIntervalMs = FlushMs,
    };

    private T Value<T>(string name) => (T)TopicConfigDefinitions.Find(name)!.Parse(_byName[name].Value!);
}
