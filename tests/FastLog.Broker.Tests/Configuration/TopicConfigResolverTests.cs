using FastLog.Broker.Configuration;
using FastLog.Storage;

namespace FastLog.Broker.Tests.Configuration;

public sealed class TopicConfigResolverTests
{
    private static readonly Dictionary<string, string> NoOverrides = [];

    private static BrokerConfig Broker(params (string Key, string Value)[] properties) =>
        BrokerConfigLoader.FromProperties(properties.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void Without_overrides_every_topic_config_has_its_default()
    {
        var config = TopicConfigResolver.Resolve(BrokerConfig.Default, NoOverrides);

        Assert.Equal(TopicConfigDefinitions.All.Select(k => k.Name), config.Entries.Select(e => e.Name));
        foreach (var key in TopicConfigDefinitions.All)
        {
            // The broker's defaults, through the synonyms, are the topic defaults.
            Assert.Equal(new ConfigEntry(key.Name, key.DefaultValue, ConfigSource.DefaultConfig, key.Type), config[key.Name]);
        }
    }

    [Fact]
    public void A_topic_override_is_a_dynamic_topic_config()
    {
        var config = TopicConfigResolver.Resolve(BrokerConfig.Default, new Dictionary<string, string> { ["retention.ms"] = "1000" });

        Assert.Equal(new ConfigEntry("retention.ms", "1000", ConfigSource.DynamicTopicConfig, ConfigType.Long), config["retention.ms"]);
        Assert.Equal(1000, config.RetentionMs);
        Assert.Equal(ConfigSource.DefaultConfig, config["segment.bytes"].Source);
    }

    [Fact]
    public void A_broker_property_set_explicitly_is_a_static_broker_config()
    {
        var broker = Broker(("log.segment.bytes", "1048576"), ("message.max.bytes", "2000000"), ("log.cleanup.policy", "compact"));

        var config = TopicConfigResolver.Resolve(broker, NoOverrides);

        Assert.Equal(new ConfigEntry("segment.bytes", "1048576", ConfigSource.StaticBrokerConfig, ConfigType.Int), config["segment.bytes"]);
        Assert.Equal(new ConfigEntry("max.message.bytes", "2000000", ConfigSource.StaticBrokerConfig, ConfigType.Int), config["max.message.bytes"]);
        Assert.Equal(CleanupPolicy.Compact, config.CleanupPolicy);
        Assert.Equal(ConfigSource.DefaultConfig, config["retention.ms"].Source);
    }

    [Fact]
    public void The_topic_override_beats_the_broker_property()
    {
        var broker = Broker(("log.segment.bytes", "1048576"));

        var config = TopicConfigResolver.Resolve(broker, new Dictionary<string, string> { ["segment.bytes"] = "2097152" });

        Assert.Equal(new ConfigEntry("segment.bytes", "2097152", ConfigSource.DynamicTopicConfig, ConfigType.Int), config["segment.bytes"]);
        Assert.Equal(2_097_152, config.SegmentBytes);
    }

    [Fact]
    public void Broker_retention_in_hours_or_minutes_is_shown_in_milliseconds()
    {
        var hours = TopicConfigResolver.Resolve(Broker(("log.retention.hours", "2")), NoOverrides);
        var minutes = TopicConfigResolver.Resolve(Broker(("log.retention.hours", "2"), ("log.retention.minutes", "3")), NoOverrides);
        var unlimited = TopicConfigResolver.Resolve(Broker(("log.retention.hours", "-1")), NoOverrides);

        Assert.Equal(new ConfigEntry("retention.ms", "7200000", ConfigSource.StaticBrokerConfig, ConfigType.Long), hours["retention.ms"]);
        Assert.Equal("180000", minutes["retention.ms"].Value);
        Assert.Equal(-1, unlimited.RetentionMs);
    }

    [Fact]
    public void Broker_roll_hours_become_segment_ms()
    {
        var config = TopicConfigResolver.Resolve(Broker(("log.roll.hours", "1")), NoOverrides);

        Assert.Equal(new ConfigEntry("segment.ms", "3600000", ConfigSource.StaticBrokerConfig, ConfigType.Long), config["segment.ms"]);
        Assert.Equal(3_600_000, config.SegmentMs);
    }

    [Fact]
    public void Typed_accessors_read_the_effective_values()
    {
        var broker = Broker(("log.flush.interval.messages", "10000"), ("min.insync.replicas", "2"));
        var config = TopicConfigResolver.Resolve(broker, new Dictionary<string, string>
        {
            ["max.message.bytes"] = "500",
            ["cleanup.policy"] = "compact,delete",
            ["retention.bytes"] = "1073741824",
            ["message.timestamp.type"] = "LogAppendTime",
            ["flush.ms"] = "1000",
        });

        Assert.Equal(500, config.MaxMessageBytes);
        Assert.Equal(2, config.MinInsyncReplicas);
        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, config.CleanupPolicy);
        Assert.Equal(604_800_000, config.RetentionMs);
        Assert.Equal(1_073_741_824, config.RetentionBytes);
        Assert.Equal(MessageTimestampType.LogAppendTime, config.MessageTimestampType);
        Assert.Equal(10_000, config.FlushMessages);
        Assert.Equal(1000, config.FlushMs);
    }

    [Fact]
    public void ToLogConfig_maps_the_segment_settings_and_the_brokers_preallocation()
    {
        var broker = Broker(("log.preallocation", "none"), ("log.index.interval.bytes", "8192"));
        var config = TopicConfigResolver.Resolve(broker, new Dictionary<string, string>
        {
            ["segment.bytes"] = "1048576",
            ["segment.ms"] = "60000",
            ["segment.index.bytes"] = "4096",
        });

        var log = config.ToLogConfig();

        Assert.Equal(1_048_576, log.SegmentBytes);
        Assert.Equal(60_000, log.SegmentMs);
        Assert.Equal(8192, log.IndexIntervalBytes);
        Assert.Equal(4096, log.MaxIndexBytes);
        Assert.Equal(SegmentPreallocation.None, log.Preallocation);
        log.Validate();
    }

    [Fact]
    public void ToLogConfig_with_defaults_is_Kafkas_and_valid()
    {
        var log = TopicConfigResolver.Resolve(BrokerConfig.Default, NoOverrides).ToLogConfig();

        Assert.Equal(1_073_741_824, log.SegmentBytes);
        Assert.Equal(604_800_000, log.SegmentMs);
        Assert.Equal(4096, log.IndexIntervalBytes);
        Assert.Equal(10_485_760, log.MaxIndexBytes);
        Assert.Equal(SegmentPreallocation.Prepared, log.Preallocation);
        log.Validate();
    }

    [Fact]
    public void The_largest_accepted_segment_size_is_one_the_storage_layer_takes()
    {
        var log = TopicConfigResolver.Resolve(BrokerConfig.Default, new Dictionary<string, string> { ["segment.bytes"] = "2147483646" }).ToLogConfig();

        log.Validate();
        Assert.NotNull(TopicConfigDefinitions.Validate("segment.bytes", "2147483647"));
    }

    [Fact]
    public void An_unknown_or_invalid_override_is_refused()
    {
        var unknown = Assert.Throws<ConfigException>(() =>
            TopicConfigResolver.Resolve(BrokerConfig.Default, new Dictionary<string, string> { ["retention.days"] = "1" }));
        var invalid = Assert.Throws<ConfigException>(() =>
            TopicConfigResolver.Resolve(BrokerConfig.Default, new Dictionary<string, string> { ["cleanup.policy"] = "remove" }));

        Assert.Equal("Unknown topic config name: retention.days", unknown.Message);
        Assert.StartsWith("cleanup.policy: \"remove\"", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_names_are_not_entries()
    {
        var config = TopicConfigResolver.Resolve(BrokerConfig.Default, NoOverrides);

        Assert.Throws<KeyNotFoundException>(() => config["log.retention.ms"]);
    }
}
