using FastLog.Broker.Configuration;
using FastLog.Storage;

namespace FastLog.Broker.Tests.Configuration;

public sealed class BrokerConfigLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fastlog-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteProperties(string text)
    {
        var path = Path.Combine(_directory, "server.properties");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Defaults_are_Kafkas()
    {
        var config = BrokerConfig.Default;

        Assert.Equal([new Endpoint("PLAINTEXT", "127.0.0.1", 9092)], config.Listeners);
        Assert.Equal(config.Listeners, config.AdvertisedListeners);
        Assert.Equal(["./data"], config.LogDirs);
        Assert.Equal(1, config.NodeId);
        Assert.Null(config.ClusterId);
        Assert.Equal(1, config.NumPartitions);
        Assert.Equal(1, config.DefaultReplicationFactor);
        Assert.True(config.AutoCreateTopicsEnable);
        Assert.True(config.DeleteTopicEnable);
        Assert.Equal(104_857_600, config.SocketRequestMaxBytes);
        Assert.Equal(600_000, config.ConnectionsMaxIdleMs);
        Assert.Equal(1_048_588, config.MessageMaxBytes);
        Assert.Equal(1, config.MinInsyncReplicas);
        Assert.Equal(1, config.NumRecoveryThreadsPerDataDir);
        Assert.Equal(1_073_741_824, config.LogSegmentBytes);
        Assert.Equal(168 * 3_600_000L, config.LogRollMs);
        Assert.Equal(168 * 3_600_000L, config.LogRetentionMs);
        Assert.Equal(-1, config.LogRetentionBytes);
        Assert.Equal(CleanupPolicy.Delete, config.LogCleanupPolicy);
        Assert.Equal(4096, config.LogIndexIntervalBytes);
        Assert.Equal(10_485_760, config.LogIndexSizeMaxBytes);
        Assert.Equal(MessageTimestampType.CreateTime, config.LogMessageTimestampType);
        Assert.Equal(long.MaxValue, config.LogFlushIntervalMessages);
        Assert.Equal(long.MaxValue, config.LogFlushIntervalMs);
        Assert.Equal(SegmentPreallocation.Prepared, config.LogPreallocation);
        Assert.True(config.SocketFetchZeroCopy);
        Assert.Equal(50, config.OffsetsTopicNumPartitions);
        Assert.Equal(1, config.OffsetsTopicReplicationFactor);
        Assert.Equal(3000, config.GroupInitialRebalanceDelayMs);
        Assert.Equal(6000, config.GroupMinSessionTimeoutMs);
        Assert.Equal(1_800_000, config.GroupMaxSessionTimeoutMs);
        Assert.Equal(900_000, config.TransactionMaxTimeoutMs);
        Assert.Empty(config.UnknownKeys);
    }

    [Fact]
    public void The_file_sets_typed_values()
    {
        var path = WriteProperties("""
            # a broker
            node.id=3
            num.partitions: 6
            auto.create.topics.enable = FALSE
            log.cleanup.policy=compact, delete
            log.message.timestamp.type=LogAppendTime
            log.preallocation=zero-ahead
            socket.fetch.zero.copy=false
            cluster.id=MkU3OEVBNTcwNTJENDM2Qk
            """);

        var config = BrokerConfigLoader.Load(path, []);

        Assert.Equal(3, config.NodeId);
        Assert.Equal(6, config.NumPartitions);
        Assert.False(config.AutoCreateTopicsEnable);
        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, config.LogCleanupPolicy);
        Assert.Equal(MessageTimestampType.LogAppendTime, config.LogMessageTimestampType);
        Assert.Equal(SegmentPreallocation.ZeroAhead, config.LogPreallocation);
        Assert.False(config.SocketFetchZeroCopy);
        Assert.Equal("MkU3OEVBNTcwNTJENDM2Qk", config.ClusterId);
    }

    [Fact]
    public void A_kafka_kraft_server_properties_loads_with_its_unused_keys_reported()
    {
        var path = WriteProperties("""
            ############################# Server Basics #############################
            process.roles=broker,controller
            node.id=1
            controller.quorum.bootstrap.servers=localhost:9093

            ############################# Socket Server Settings #############################
            listeners=PLAINTEXT://:9092,CONTROLLER://:9093
            inter.broker.listener.name=PLAINTEXT
            advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
            controller.listener.names=CONTROLLER
            listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
            num.network.threads=3
            num.io.threads=8
            socket.send.buffer.bytes=102400
            socket.receive.buffer.bytes=102400
            socket.request.max.bytes=104857600

            ############################# Log Basics #############################
            log.dirs=/var/lib/kafka/kraft-combined-logs
            num.partitions=1
            num.recovery.threads.per.data.dir=1
            offsets.topic.replication.factor=1
            share.coordinator.state.topic.replication.factor=1
            share.coordinator.state.topic.min.isr=1
            transaction.state.log.replication.factor=1
            transaction.state.log.min.isr=1

            ############################# Log Retention Policy #############################
            log.retention.hours=168
            log.segment.bytes=1073741824
            log.retention.check.interval.ms=300000
            """);

        var config = BrokerConfigLoader.Load(path, []);

        Assert.Equal([new Endpoint("PLAINTEXT", "", 9092), new Endpoint("CONTROLLER", "", 9093)], config.Listeners);
        Assert.Equal([new Endpoint("PLAINTEXT", "localhost", 9092), new Endpoint("CONTROLLER", "localhost", 9093)], config.AdvertisedListeners);
        Assert.Equal(["/var/lib/kafka/kraft-combined-logs"], config.LogDirs);
        Assert.Contains("process.roles", config.UnknownKeys);
        Assert.DoesNotContain("log.retention.check.interval.ms", config.UnknownKeys);
        Assert.Equal(300_000, config.LogRetentionCheckIntervalMs);
        Assert.DoesNotContain("log.retention.hours", config.UnknownKeys);
        Assert.Equal(ConfigSource.StaticBrokerConfig, config.FindEntry("log.retention.hours")!.Source);
    }

    [Fact]
    public void Overrides_beat_the_file_and_later_overrides_beat_earlier_ones()
    {
        var path = WriteProperties("num.partitions=6\nmessage.max.bytes=2000000\n");

        var config = BrokerConfigLoader.LoadFromArgs([path, "--override", "num.partitions=2", "--override", "num.partitions = 8"]);

        Assert.Equal(8, config.NumPartitions);
        Assert.Equal(2_000_000, config.MessageMaxBytes);
        Assert.Equal(ConfigSource.StaticBrokerConfig, config.FindEntry("num.partitions")!.Source);
        Assert.Equal("8", config.FindEntry("num.partitions")!.Value);
    }

    [Fact]
    public void Overrides_work_without_a_file_and_keep_everything_after_the_first_equals()
    {
        var config = BrokerConfigLoader.LoadFromArgs(["--override", "log.dirs=/data/a=1", "--override", "listeners=PLAINTEXT://:0"]);

        Assert.Equal(["/data/a=1"], config.LogDirs);
        Assert.Equal(0, Assert.Single(config.Listeners).Port);
    }

    public static TheoryData<string[]> MalformedCommandLines =>
    [
        ["--override"],
        ["--override", "novalue"],
        ["--override", "=value"],
        ["--unknown"],
        ["a.properties", "b.properties"],
    ];

    [Theory]
    [MemberData(nameof(MalformedCommandLines))]
    public void Malformed_command_lines_are_refused(string[] args)
    {
        Assert.Throws<ConfigException>(() => BrokerConfigLoader.LoadFromArgs(args));
    }

    [Fact]
    public void No_arguments_give_the_defaults()
    {
        var config = BrokerConfigLoader.LoadFromArgs([]);

        Assert.Equal(BrokerConfig.Default.Entries, config.Entries);
    }

    [Fact]
    public void Unknown_keys_are_kept_and_listed_but_not_refused()
    {
        var path = WriteProperties("zookeeper.connect=localhost:2181\nnum.partitions=2\nsome.plugin.setting=x\n");

        var config = BrokerConfigLoader.Load(path, ["another.unknown=1"]);

        Assert.Equal(["another.unknown", "some.plugin.setting", "zookeeper.connect"], config.UnknownKeys);
        Assert.Equal("localhost:2181", config.Originals["zookeeper.connect"]);
        Assert.Null(config.FindEntry("zookeeper.connect"));
        Assert.Equal(2, config.NumPartitions);
    }

    [Fact]
    public void Entries_list_every_known_config_with_value_and_source()
    {
        var config = BrokerConfigLoader.FromProperties(new Dictionary<string, string> { ["log.retention.hours"] = " 24 " });

        Assert.Equal(BrokerConfigDefinitions.All.Select(k => k.Name), config.Entries.Select(e => e.Name));
        Assert.Equal(new ConfigEntry("log.retention.hours", "24", ConfigSource.StaticBrokerConfig, ConfigType.Int), config.FindEntry("log.retention.hours"));
        Assert.Equal(new ConfigEntry("num.partitions", "1", ConfigSource.DefaultConfig, ConfigType.Int), config.FindEntry("num.partitions"));
        // As in Kafka, a config with no default of its own shows no value.
        Assert.Equal(new ConfigEntry("log.retention.ms", null, ConfigSource.DefaultConfig, ConfigType.Long), config.FindEntry("log.retention.ms"));
        Assert.Equal("./data", config.FindEntry("log.dir")!.Value);
        Assert.Equal("prepared", config.FindEntry("log.preallocation")!.Value);
    }

    [Fact]
    public void Every_default_parses_and_passes_its_own_check()
    {
        foreach (var key in BrokerConfigDefinitions.All.Where(k => k.DefaultValue is not null))
        {
            Assert.Null(key.Validate(key.DefaultValue!));
        }
    }
}
