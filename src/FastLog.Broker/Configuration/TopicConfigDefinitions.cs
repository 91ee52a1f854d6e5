using System.Globalization;
using FastLog.Storage.Index;
using N = FastLog.Broker.Configuration.TopicConfigNames;

namespace FastLog.Broker.Configuration;

/// <summary>
/// Every per-topic config Kafka defines, with Kafka's type, default, validator and the broker configs it defaults
/// from (highest precedence first). A topic override must name one of these; the broker's static config flows
/// into the rest through the synonyms.
/// </summary>
public static class TopicConfigDefinitions
{
    private const string LongMax = "9223372036854775807";
    private const long MillisPerMinute = 60_000;
    private const long MillisPerHour = 3_600_000;

    /// <summary>The smallest segment that holds one record batch header (Kafka's LegacyRecord.RECORD_OVERHEAD_V0).</summary>
    private const int MinSegmentBytes = 14;

    private static readonly ConfigValidator CleanupPolicyList =
        ConfigValidator.ListOf(CleanupPolicies.Compact, CleanupPolicies.Delete);

    private static readonly ConfigValidator CompressionTypeValues =
        ConfigValidator.In("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");

    private static readonly ConfigValidator TimestampTypeValues =
        ConfigValidator.In(nameof(MessageTimestampType.CreateTime), nameof(MessageTimestampType.LogAppendTime));

    /// <summary>java.util.zip.Deflater's levels: -1 (its default) or 1 to 9.</summary>
    private static readonly ConfigValidator GzipLevels = ConfigValidator.Custom("-1 or between 1 and 9",
        value => (int)value is -1 or (>= 1 and <= 9) ? null : "must be -1 or between 1 and 9");

    /// <summary>"*", or partition:broker pairs such as "0:101,1:102"; empty throttles nothing.</summary>
    private static readonly ConfigValidator ThrottledReplicas = ConfigValidator.Custom("[partitionId]:[brokerId],... or *",
        value =>
        {
            var items = (IReadOnlyList<string>)value;
            if (items is ["*"] || items.All(IsPartitionBrokerPair))
            {
                return null;
            }
            return "must be * or a list of partition:broker pairs such as 0:1,1:1";
        });

    private static readonly ConfigKey[] Keys =
    [
        new(N.CleanupPolicy, ConfigType.List, CleanupPolicies.Delete, CleanupPolicyList) { Synonyms = [new("log.cleanup.policy")] },
        new(N.CompressionGzipLevel, ConfigType.Int, "-1", GzipLevels) { Synonyms = [new("compression.gzip.level")] },
        new(N.CompressionLz4Level, ConfigType.Int, "9", ConfigValidator.Between(1, 17)) { Synonyms = [new("compression.lz4.level")] },
        new(N.CompressionType, ConfigType.String, "producer", CompressionTypeValues) { Synonyms = [new("compression.type")] },
        new(N.CompressionZstdLevel, ConfigType.Int, "3", ConfigValidator.Between(-131_072, 22)) { Synonyms = [new("compression.zstd.level")] },
        new(N.DeleteRetentionMs, ConfigType.Long, "86400000", ConfigValidator.AtLeast(0)) { Synonyms = [new("log.cleaner.delete.retention.ms")] },
        new(N.FileDeleteDelayMs, ConfigType.Long, "60000", ConfigValidator.AtLeast(0)) { Synonyms = [new("log.segment.delete.delay.ms")] },
        new(N.FlushMessages, ConfigType.Long, LongMax, ConfigValidator.AtLeast(1)) { Synonyms = [new("log.flush.interval.messages")] },
        new(N.FlushMs, ConfigType.Long, LongMax, ConfigValidator.AtLeast(0)) { Synonyms = [new("log.flush.interval.ms")] },
        new(N.FlushPolicy, ConfigType.String, FlushPolicies.PerBatch, ConfigValidator.In(FlushPolicies.PerBatch, FlushPolicies.Interval, FlushPolicies.None)) { Synonyms = [new("log.flush.policy")] },
        new(N.FollowerReplicationThrottledReplicas, ConfigType.List, "", ThrottledReplicas),
        new(N.IndexIntervalBytes, ConfigType.Int, "4096", ConfigValidator.AtLeast(0)) { Synonyms = [new("log.index.interval.bytes")] },
        new(N.LeaderReplicationThrottledReplicas, ConfigType.List, "", ThrottledReplicas),
        // -2: take retention.bytes / retention.ms; local retention only differs once remote storage exists.
        new(N.LocalRetentionBytes, ConfigType.Long, "-2", ConfigValidator.AtLeast(-2)) { Synonyms = [new("log.local.retention.bytes")] },
        new(N.LocalRetentionMs, ConfigType.Long, "-2", ConfigValidator.AtLeast(-2)) { Synonyms = [new("log.local.retention.ms")] },
        new(N.MaxCompactionLagMs, ConfigType.Long, LongMax, ConfigValidator.AtLeast(1)) { Synonyms = [new("log.cleaner.max.compaction.lag.ms")] },
        new(N.MaxMessageBytes, ConfigType.Int, "1048588", ConfigValidator.AtLeast(0)) { Synonyms = [new("message.max.bytes")] },
        new(N.MessageDownconversionEnable, ConfigType.Boolean, "true") { Synonyms = [new("log.message.downconversion.enable")] },
        new(N.MessageTimestampAfterMaxMs, ConfigType.Long, LongMax, ConfigValidator.AtLeast(0)) { Synonyms = [new("log.message.timestamp.after.max.ms")] },
        new(N.MessageTimestampBeforeMaxMs, ConfigType.Long, LongMax, ConfigValidator.AtLeast(0)) { Synonyms = [new("log.message.timestamp.before.max.ms")] },
        new(N.MessageTimestampType, ConfigType.String, nameof(MessageTimestampType.CreateTime), TimestampTypeValues) { Synonyms = [new("log.message.timestamp.type")] },
        new(N.MinCleanableDirtyRatio, ConfigType.Double, "0.5", ConfigValidator.Between(0, 1)) { Synonyms = [new("log.cleaner.min.cleanable.ratio")] },
        new(N.MinCompactionLagMs, ConfigType.Long, "0", ConfigValidator.AtLeast(0)) { Synonyms = [new("log.cleaner.min.compaction.lag.ms")] },
        new(N.MinInsyncReplicas, ConfigType.Int, "1", ConfigValidator.AtLeast(1)) { Synonyms = [new("min.insync.replicas")] },
        new(N.Preallocate, ConfigType.Boolean, "false") { Synonyms = [new("log.preallocate")] },
        new(N.RemoteStorageEnable, ConfigType.Boolean, "false"),
        // Kafka takes any negative retention.bytes as "unlimited"; only -1 is accepted here, the one it writes.
        new(N.RetentionBytes, ConfigType.Long, "-1", ConfigValidator.AtLeast(-1)) { Synonyms = [new("log.retention.bytes")] },
        new(N.RetentionMs, ConfigType.Long, "604800000", ConfigValidator.AtLeast(-1))
        {
            Synonyms = [new("log.retention.ms"), new("log.retention.minutes", MillisPerMinute), new("log.retention.hours", MillisPerHour)],
        },
        // Kafka allows int.MaxValue; the storage layer's LogConfig accepts at most int.MaxValue - 1.
        new(N.SegmentBytes, ConfigType.Int, "1073741824", ConfigValidator.Range(MinSegmentBytes, int.MaxValue - 1)) { Synonyms = [new("log.segment.bytes")] },
        // Kafka's minimum is 4; the storage layer needs room for one time-index entry, the larger of its two.
        new(N.SegmentIndexBytes, ConfigType.Int, "10485760", ConfigValidator.AtLeast(TimeIndex.EntryBytes)) { Synonyms = [new("log.index.size.max.bytes")] },
        new(N.SegmentJitterMs, ConfigType.Long, "0", ConfigValidator.AtLeast(0))
        {
            Synonyms = [new("log.roll.jitter.ms"), new("log.roll.jitter.hours", MillisPerHour)],
        },
        new(N.SegmentMs, ConfigType.Long, "604800000", ConfigValidator.AtLeast(1))
        {
            Synonyms = [new("log.roll.ms"), new("log.roll.hours", MillisPerHour)],
        },
        new(N.UncleanLeaderElectionEnable, ConfigType.Boolean, "false") { Synonyms = [new("unclean.leader.election.enable")] },
    ];

    private static readonly Dictionary<string, ConfigKey> ByName = Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Every topic config, ordered by name.</summary>
    public static IReadOnlyList<ConfigKey> All { get; } = [.. Keys.OrderBy(k => k.Name, StringComparer.Ordinal)];

    public static ConfigKey? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>
    /// Null when <paramref name="value"/> is a valid value of the topic config <paramref name="name"/>; else the
    /// message for an INVALID_CONFIG error, naming the config and the value.
    /// </summary>
    public static string? Validate(string name, string value) =>
        Find(name) is { } key ? key.Validate(value) : $"Unknown topic config name: {name}";

    private static bool IsPartitionBrokerPair(string item)
    {
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && int.TryParse(item.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && int.TryParse(item.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
