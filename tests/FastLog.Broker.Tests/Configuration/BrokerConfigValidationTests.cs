using FastLog.Broker.Configuration;

namespace FastLog.Broker.Tests.Configuration;

public sealed class BrokerConfigValidationTests
{
    private static BrokerConfig Load(params (string Key, string Value)[] properties) =>
        BrokerConfigLoader.FromProperties(properties.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_with_the_key_and_value_named()
    {
        var error = Assert.Throws<ConfigException>(() => Load(("num.partitions", "abc")));

        Assert.Equal("num.partitions: \"abc\" is not an integer", error.Message);
        Assert.Equal("num.partitions", error.Key);
    }

    [Theory]
    [InlineData("num.partitions", "1.5", "is not an integer")]
    [InlineData("num.partitions", "", "is not an integer")]
    [InlineData("num.partitions", "0", "must be at least 1")]
    [InlineData("num.partitions", "3000000000", "is out of range for a 32-bit integer")]
    [InlineData("log.retention.bytes", "99999999999999999999", "is out of range for a 64-bit integer")]
    [InlineData("offsets.topic.replication.factor", "40000", "is out of range for a 16-bit integer")]
    [InlineData("auto.create.topics.enable", "yes", "is not a boolean (true or false)")]
    [InlineData("socket.fetch.zero.copy", "sendfile", "is not a boolean (true or false)")]
    [InlineData("log.segment.bytes", "13", "must be at least 14")]
    [InlineData("log.segment.bytes", "-1", "must be at least 14")]
    [InlineData("message.max.bytes", "-5", "must be at least 0")]
    [InlineData("socket.request.max.bytes", "0", "must be at least 1")]
    [InlineData("log.retention.bytes", "-2", "must be at least -1")]
    [InlineData("log.index.interval.bytes", "-1", "must be at least 0")]
    [InlineData("log.index.size.max.bytes", "4", "must be at least 12")]
    [InlineData("log.roll.hours", "0", "must be at least 1")]
    [InlineData("log.roll.ms", "0", "must be at least 1")]
    [InlineData("log.flush.interval.messages", "0", "must be at least 1")]
    [InlineData("num.recovery.threads.per.data.dir", "0", "must be at least 1")]
    [InlineData("node.id", "-1", "must be at least 0")]
    [InlineData("broker.id", "x", "is not an integer")]
    [InlineData("min.insync.replicas", "0", "must be at least 1")]
    [InlineData("connections.max.idle.ms", "-2", "must be at least -1")]
    [InlineData("log.cleanup.policy", "remove", "must list only compact, delete, not \"remove\"")]
    [InlineData("log.cleanup.policy", "", "must list at least one of compact, delete")]
    [InlineData("log.message.timestamp.type", "createtime", "must be one of CreateTime, LogAppendTime")]
    [InlineData("log.preallocation", "zero", "must be one of none, fallocate, zero-ahead, prepared")]
    [InlineData("metrics.listener", "9404", "must be empty (no metrics endpoint) or host:port, such as 127.0.0.1:9404")]
    [InlineData("log.flush.policy", "sometimes", "must be one of per-batch, interval, none")]
    [InlineData("log.cleaner.min.cleanable.ratio", "1.5", "must be between 0 and 1")]
    [InlineData("compression.type", "brotli", "must be one of uncompressed, zstd, lz4, snappy, gzip, producer")]
    [InlineData("cluster.id", "", "must not be empty")]
    public void Bad_values_are_refused_with_the_key_named(string key, string value, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => Load((key, value)));

        Assert.Equal($"{key}: \"{value}\" {reason}", error.Message);
        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Values_are_trimmed_and_numbers_may_carry_a_sign()
    {
        var config = Load(("num.partitions", " +4 "), ("log.retention.bytes", "-1"), ("delete.topic.enable", " False"));

        Assert.Equal(4, config.NumPartitions);
        Assert.Equal(-1, config.LogRetentionBytes);
        Assert.False(config.DeleteTopicEnable);
    }

    [Fact]
    public void The_minimum_session_timeout_must_not_exceed_the_maximum()
    {
        var error = Assert.Throws<ConfigException>(() =>
            Load(("group.min.session.timeout.ms", "60000"), ("group.max.session.timeout.ms", "30000")));

        Assert.Equal("group.min.session.timeout.ms", error.Key);
    }

    [Fact]
    public void Sizes_at_their_minimums_are_accepted()
    {
        var config = Load(("log.segment.bytes", "14"), ("message.max.bytes", "0"), ("log.index.size.max.bytes", "12"));

        Assert.Equal(14, config.LogSegmentBytes);
        Assert.Equal(0, config.MessageMaxBytes);
        Assert.Equal(12, config.LogIndexSizeMaxBytes);
    }
}
