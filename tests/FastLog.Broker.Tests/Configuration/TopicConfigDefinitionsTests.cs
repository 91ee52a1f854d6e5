using FastLog.Broker.Configuration;

namespace FastLog.Broker.Tests.Configuration;

public sealed class TopicConfigDefinitionsTests
{
    [Theory]
    [InlineData("cleanup.policy", "delete")]
    [InlineData("cleanup.policy", "compact")]
    [InlineData("cleanup.policy", "compact,delete")]
    [InlineData("cleanup.policy", "delete, compact")]
    [InlineData("compression.type", "zstd")]
    [InlineData("compression.type", "uncompressed")]
    [InlineData("message.timestamp.type", "LogAppendTime")]
    [InlineData("min.cleanable.dirty.ratio", "0")]
    [InlineData("min.cleanable.dirty.ratio", "1")]
    [InlineData("min.cleanable.dirty.ratio", "0.25")]
    [InlineData("retention.ms", "-1")]
    [InlineData("retention.ms", "0")]
    [InlineData("retention.bytes", "-1")]
    [InlineData("segment.bytes", "14")]
    [InlineData("segment.index.bytes", "12")]
    [InlineData("max.message.bytes", "0")]
    [InlineData("preallocate", "TRUE")]
    [InlineData("compression.gzip.level", "-1")]
    [InlineData("compression.gzip.level", "9")]
    [InlineData("compression.zstd.level", "-131072")]
    [InlineData("local.retention.ms", "-2")]
    [InlineData("leader.replication.throttled.replicas", "*")]
    [InlineData("leader.replication.throttled.replicas", "0:1, 1:1")]
    [InlineData("follower.replication.throttled.replicas", "")]
    [InlineData("flush.messages", "1")]
    public void Valid_values_pass(string name, string value)
    {
        Assert.Null(TopicConfigDefinitions.Validate(name, value));
    }

    [Theory]
    [InlineData("cleanup.policy", "remove")]
    [InlineData("cleanup.policy", "")]
    [InlineData("cleanup.policy", "delete,delete")]
    [InlineData("cleanup.policy", "Delete")]
    [InlineData("compression.type", "none")]
    [InlineData("message.timestamp.type", "NoTimestampType")]
    [InlineData("min.cleanable.dirty.ratio", "1.01")]
    [InlineData("min.cleanable.dirty.ratio", "-0.1")]
    [InlineData("min.cleanable.dirty.ratio", "NaN")]
    [InlineData("retention.ms", "-2")]
    [InlineData("retention.ms", "1 day")]
    [InlineData("retention.bytes", "-2")]
    [InlineData("segment.bytes", "13")]
    [InlineData("segment.bytes", "2147483648")]
    [InlineData("segment.index.bytes", "11")]
    [InlineData("segment.ms", "0")]
    [InlineData("index.interval.bytes", "-1")]
    [InlineData("max.message.bytes", "-1")]
    [InlineData("min.insync.replicas", "0")]
    [InlineData("flush.messages", "0")]
    [InlineData("flush.ms", "-1")]
    [InlineData("delete.retention.ms", "-1")]
    [InlineData("max.compaction.lag.ms", "0")]
    [InlineData("preallocate", "1")]
    [InlineData("compression.gzip.level", "0")]
    [InlineData("compression.lz4.level", "18")]
    [InlineData("compression.zstd.level", "23")]
    [InlineData("local.retention.bytes", "-3")]
    [InlineData("leader.replication.throttled.replicas", "0-1")]
    [InlineData("unclean.leader.election.enable", "maybe")]
    public void Invalid_values_are_refused_naming_config_and_value(string name, string value)
    {
        var error = TopicConfigDefinitions.Validate(name, value);

        Assert.NotNull(error);
        Assert.StartsWith($"{name}: \"{value.Trim()}\" ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_refused_as_Kafka_words_it()
    {
        Assert.Equal("Unknown topic config name: retention.days", TopicConfigDefinitions.Validate("retention.days", "1"));
        // A broker config is not a topic config.
        Assert.NotNull(TopicConfigDefinitions.Validate("log.retention.ms", "1"));
    }

    [Fact]
    public void Every_default_is_valid_and_names_are_unique_and_ordered()
    {
        var names = TopicConfigDefinitions.All.Select(k => k.Name).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var key in TopicConfigDefinitions.All)
        {
            Assert.NotNull(key.DefaultValue);
            Assert.Null(key.Validate(key.DefaultValue!));
        }
    }

    [Theory]
    [InlineData("segment.bytes", ConfigType.Int, "1073741824", "log.segment.bytes")]
    [InlineData("segment.ms", ConfigType.Long, "604800000", "log.roll.ms,log.roll.hours")]
    [InlineData("retention.ms", ConfigType.Long, "604800000", "log.retention.ms,log.retention.minutes,log.retention.hours")]
    [InlineData("retention.bytes", ConfigType.Long, "-1", "log.retention.bytes")]
    [InlineData("cleanup.policy", ConfigType.List, "delete", "log.cleanup.policy")]
    [InlineData("max.message.bytes", ConfigType.Int, "1048588", "message.max.bytes")]
    [InlineData("min.insync.replicas", ConfigType.Int, "1", "min.insync.replicas")]
    [InlineData("segment.index.bytes", ConfigType.Int, "10485760", "log.index.size.max.bytes")]
    [InlineData("index.interval.bytes", ConfigType.Int, "4096", "log.index.interval.bytes")]
    [InlineData("message.timestamp.type", ConfigType.String, "CreateTime", "log.message.timestamp.type")]
    [InlineData("flush.messages", ConfigType.Long, "9223372036854775807", "log.flush.interval.messages")]
    [InlineData("flush.ms", ConfigType.Long, "9223372036854775807", "log.flush.interval.ms")]
    [InlineData("compression.type", ConfigType.String, "producer", "compression.type")]
    [InlineData("delete.retention.ms", ConfigType.Long, "86400000", "log.cleaner.delete.retention.ms")]
    [InlineData("file.delete.delay.ms", ConfigType.Long, "60000", "log.segment.delete.delay.ms")]
    [InlineData("min.compaction.lag.ms", ConfigType.Long, "0", "log.cleaner.min.compaction.lag.ms")]
    [InlineData("max.compaction.lag.ms", ConfigType.Long, "9223372036854775807", "log.cleaner.max.compaction.lag.ms")]
    [InlineData("min.cleanable.dirty.ratio", ConfigType.Double, "0.5", "log.cleaner.min.cleanable.ratio")]
    [InlineData("unclean.leader.election.enable", ConfigType.Boolean, "false", "unclean.leader.election.enable")]
    [InlineData("message.timestamp.before.max.ms", ConfigType.Long, "9223372036854775807", "log.message.timestamp.before.max.ms")]
    [InlineData("message.timestamp.after.max.ms", ConfigType.Long, "9223372036854775807", "log.message.timestamp.after.max.ms")]
    [InlineData("preallocate", ConfigType.Boolean, "false", "log.preallocate")]
    [InlineData("segment.jitter.ms", ConfigType.Long, "0", "log.roll.jitter.ms,log.roll.jitter.hours")]
    [InlineData("message.downconversion.enable", ConfigType.Boolean, "true", "log.message.downconversion.enable")]
    [InlineData("remote.storage.enable", ConfigType.Boolean, "false", "")]
    [InlineData("follower.replication.throttled.replicas", ConfigType.List, "", "")]
    [InlineData("leader.replication.throttled.replicas", ConfigType.List, "", "")]
    public void Kafkas_types_defaults_and_synonyms(string name, ConfigType type, string defaultValue, string synonyms)
    {
        var key = TopicConfigDefinitions.Find(name)!;

        Assert.Equal(type, key.Type);
        Assert.Equal(defaultValue, key.DefaultValue);
        Assert.Equal(synonyms, string.Join(",", key.Synonyms.Select(s => s.Name)));
    }

    [Fact]
    public void Every_broker_synonym_is_a_known_broker_config()
    {
        foreach (var synonym in TopicConfigDefinitions.All.SelectMany(k => k.Synonyms))
        {
            Assert.NotNull(BrokerConfigDefinitions.Find(synonym.Name));
        }
    }
}
